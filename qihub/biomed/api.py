"""Product archives through the API: the archives one may see, opening one, the overdue
follow-ups, and every step from the same table as the pages (`actions.ACTIONS`)."""

from django.http import HttpRequest
from ninja import Router, Status

from qihub.accounts.roles import is_handler
from qihub.accounts.tokens import AUTH
from qihub.biomed import workflow
from qihub.biomed.actions import ACTIONS, describe
from qihub.biomed.forms import OpenForm
from qihub.core.api import form_body, invalid
from qihub.core.workflow import Refused, WorkflowError
from qihub.training.pledges import REFUSAL, bound_by_pledge, has_valid_pledge

router = Router(tags=["生物医药产品档案"], auth=AUTH)


@router.get("/biomed/archives", response={200: list[dict]}, summary="我可以查看的产品档案")
def archives(request: HttpRequest) -> list[dict]:
    return [describe(a, request.user) for a in workflow.visible_archives(request.user)]


@router.post(
    "/biomed/archives",
    response={201: dict, 403: dict, 409: dict, 422: dict},
    summary="企业建立产品档案（可合并多个产品）",
)
@form_body(OpenForm)
def open_archive(request: HttpRequest) -> Status:
    try:
        workflow.FLOW.check_actor(request.user, None, "open")
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    form = OpenForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    try:
        made = workflow.open_archive(by=request.user, **form.cleaned_data)
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, describe(made, request.user))


@router.get(
    "/biomed/follow-ups/overdue",
    response={200: list[dict], 403: dict},
    summary="超期未跟踪的产品档案（超期天数多的在前）",
)
def overdue(request: HttpRequest) -> Status | list[dict]:
    from qihub.biomed.views import overdue_archives

    if not is_handler(request.user):
        return Status(403, {"detail": "只有服务团队可以查看跟踪超期情况"})
    return [
        {
            "number": a.number,
            "name": a.name,
            "enterprise": a.enterprise.party_name,
            "due": a.follow_up_due.isoformat(),
            "days_overdue": a.days_overdue,
        }
        for a in overdue_archives(request.user)
    ]


@router.get(
    "/biomed/archives/{number}", response={200: dict, 403: dict, 404: dict}, summary="产品档案详情"
)
def archive(request: HttpRequest, number: str) -> Status | dict:
    from qihub.biomed.actions import visible

    found = visible(request.user, number)
    if found is None:
        return Status(404, {"detail": "没有该记录，或您无权查看"})
    if bound_by_pledge(request.user) and not has_valid_pledge(request.user):
        return Status(403, {"detail": REFUSAL})
    return describe(found, request.user)


ACTIONS.register_api(router, "/biomed/archives")
