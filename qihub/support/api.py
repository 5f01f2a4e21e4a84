"""Technical support through the API (OPS-1): members submit and follow their requests; staff
answer with the same action table as the pages."""

from django.http import HttpRequest
from ninja import Router, Status

from qihub.accounts.roles import is_handler
from qihub.accounts.tokens import AUTH
from qihub.core.api import form_body, invalid
from qihub.core.workflow import WorkflowError
from qihub.support import forms, workflow
from qihub.support.actions import ACTIONS, describe
from qihub.support.models import SupportStatus

router = Router(tags=["技术支持"], auth=AUTH)


@router.post(
    "/support/requests",
    response={201: dict, 409: dict, 422: dict},
    summary="提交技术支持请求（带问题页面与错误编号）",
)
@form_body(forms.SupportForm)
def submit(request: HttpRequest) -> Status:
    form = forms.SupportForm(request.POST, request.FILES)
    if not form.is_valid():
        return invalid(form)
    try:
        made = workflow.submit(
            by=request.user, data=form.cleaned_data, screenshot=form.cleaned_data.get("screenshot")
        )
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, describe(made, request.user))


@router.get(
    "/support/requests",
    response=list[dict],
    summary="技术支持请求（工作人员：待答复的，最早的在前；其他用户：本人的）",
)
def requests(request: HttpRequest, show: str = "") -> list[dict]:
    rows = workflow.visible_requests(request.user)
    if is_handler(request.user) and show != "all":
        rows = rows.filter(status=SupportStatus.SUBMITTED).order_by("created_at")
    return [describe(r, request.user) for r in rows[:200]]


ACTIONS.register_api(router, "/support/requests")
