"""Registration through the API (OPS-3): the same forms and workflow as the pages.

`POST /api/v1/registrations/{kind}` takes multipart/form-data with the page's field names;
an invalid field gives 422 with {"errors": {field: [message, …]}} and nothing is saved.
`POST /api/v1/registrations/{pk}/return|approve|reject|resubmit` take the review page's (or the
status page's) fields, from the one action table (`onboarding.actions`).
"""

from django.http import HttpRequest
from django_ratelimit.decorators import ratelimit
from ninja import Router, Status

from qihub.accounts.client_ip import client_ip, ip_key, rate
from qihub.accounts.models import MemberKind
from qihub.accounts.tokens import AUTH
from qihub.core.api import form_body, invalid
from qihub.onboarding import workflow
from qihub.onboarding.actions import ACTIONS
from qihub.onboarding.forms import FORMS
from qihub.onboarding.queries import time_left

router = Router(tags=["注册"])
# Review and resubmission: the same table as the pages; only signed-in users reach it.
review_router = Router(tags=["注册审核"], auth=AUTH)


def summary(application: object) -> dict:
    clock = time_left(application)
    return {
        "application_id": application.pk,
        "kind": application.kind,
        "status": application.status,
        "status_label": application.get_status_display(),
        "round": application.round,
        "review_due_at": clock["due_at"].isoformat() if clock else None,
    }


# /registrations/me is declared first so that the {kind} route does not swallow it.
@router.get("/registrations/me", response={200: dict, 404: dict}, auth=AUTH, summary="我的注册申请")
def my_application(request: HttpRequest) -> Status:
    application = request.user.applications.order_by("-submitted_at").first()
    if application is None:
        return Status(404, {"detail": "没有注册申请"})
    return Status(200, summary(application))


@router.post(
    "/registrations/{kind}",
    response={201: dict, 404: dict, 422: dict},
    summary="提交注册申请（multipart/form-data，字段同网页表单）",
)
@form_body(*FORMS.values())
@ratelimit(key=ip_key, rate=rate("registration"), method="POST", block=True)
def register(request: HttpRequest, kind: str) -> Status:
    if kind not in FORMS:
        return Status(404, {"detail": f"注册类型应为 {', '.join(MemberKind.values)} 之一"})
    form = FORMS[kind](request.POST, request.FILES)
    if not form.is_valid():
        return invalid(form)
    return Status(201, summary(workflow.register(form, ip=client_ip(request))))


ACTIONS.register_api(review_router, "/registrations")
router.add_router("", review_router)
