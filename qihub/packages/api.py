"""Custom packages through the API (DEM-12): /api/v1/packages — the same forms and the same action
table as the pages (`qihub.packages.actions`).

Bodies are form-encoded with the page's field names; an invalid field gives 422
{"errors": {field: [message]}}, an actor the table refuses 403, a refused move 409 {"detail": …}.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from qihub.accounts.roles import is_client
from qihub.accounts.tokens import AUTH
from qihub.core.api import form_body, invalid
from qihub.core.workflow import Refused, WorkflowError
from qihub.packages import forms, workflow
from qihub.packages.actions import ACTIONS, visible
from qihub.packages.models import PRINCIPLE, Package
from qihub.packages.plan import figures

router = Router(tags=["定制服务"], auth=AUTH)


def summary(package: Package, user: Any) -> dict:
    shown = figures(package)
    evaluation = getattr(package, "evaluation", None)
    return {
        "number": package.number,
        "status": package.status,
        "status_label": package.get_status_display(),
        "client": package.client.party_name,
        "product": package.product,
        "stages": package.stage_labels(),
        "description": package.description,
        "coordinator": package.coordinator.party_name if package.coordinator else None,
        "principle": PRINCIPLE,
        "recognitions": [
            {
                "id": row.recognition.pk,
                "name": row.recognition.name,
                "separate_price": str(row.separate),
                "covered": row.covered,
                "reports": row.reports,
            }
            for row in shown.rows
        ],
        "lines": [
            {
                "id": line.pk,
                "stage": line.get_stage_display(),
                "institution": line.service.organisation.name,
                "service": line.service.name,
                "standard": line.standard,
                "price": str(line.price),
                "recognitions": [r.name for r in line.recognitions.all()],
                "order": line.order.number if line.order else None,
                "order_status": line.order.get_status_display() if line.order else None,
                "report": line.report().number if line.report() else None,
            }
            for line in package.lines.select_related(
                "service__organisation", "order__report"
            ).prefetch_related("recognitions")
        ],
        "separate_price": str(shown.separate),
        "package_price": str(shown.package),
        "saving": str(shown.saving),
        "saving_percent": str(shown.saving_percent),
        "evaluation": {
            "overall": evaluation.overall,
            "coordination": evaluation.coordination,
            "saving": evaluation.saving,
            "comment": evaluation.comment,
        }
        if evaluation
        else None,
        "actions": sorted(a for a, ok in ACTIONS.buttons(user, package).items() if ok),
    }


@router.get(
    "/packages", response=list[dict], summary="定制服务申请（企业：本人的；工作人员：全部）"
)
def packages(request: HttpRequest) -> list[dict]:
    rows = Package.objects.visible_to(request.user).select_related("client", "coordinator")
    return [summary(p, request.user) for p in rows[:200]]


@router.post(
    "/packages",
    response={201: dict, 403: dict, 409: dict, 422: dict},
    summary="提交一揽子服务申请（product；recognitions=认可用途编号，可多个；stages；description）",
)
@form_body(forms.PackageRequestForm)
def create(request: HttpRequest) -> Status:
    if not is_client(request.user):
        return Status(403, {"detail": "只有企业或个人用户可以申请定制服务"})
    form = forms.PackageRequestForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    data = form.cleaned_data
    try:
        package = workflow.request(
            client=request.user,
            product=data["product"],
            recognitions=data["recognitions"],
            stages=data["stages"],
            description=data["description"],
        )
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, summary(package, request.user))


@router.get(
    "/packages/recognitions", response=list[dict], summary="可选用的认可用途及其认可的检测与标准"
)
def recognitions(request: HttpRequest) -> list[dict]:
    from qihub.packages.models import Recognition

    return [
        {"id": r.pk, "name": r.name, "kind": r.kind, "accepts": r.accepts}
        for r in Recognition.objects.filter(active=True)
    ]


@router.get(
    "/packages/{number}",
    response={200: dict, 404: dict},
    summary="定制服务申请详情：方案、费用对比、订单进度与已覆盖的认可用途",
)
def package(request: HttpRequest, number: str) -> Status:
    found = visible(request.user, number)
    if found is None:
        return Status(404, {"detail": "没有该申请，或您无权查看"})
    return Status(200, summary(found, request.user))


ACTIONS.register_api(router, "/packages")
