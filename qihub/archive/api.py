"""The archive through the API (ARC-1, ARC-3): /api/v1/archive/… — the same forms, the same
action table and the same access check and read log as the pages.

Bodies are form-encoded with the page's field names; an invalid field gives 422
{"errors": {field: [message]}}, an actor the table refuses 403, a refused move 409.
"""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from qihub.accounts.models import Organisation, Role
from qihub.accounts.roles import is_staff_member
from qihub.accounts.tokens import AUTH
from qihub.archive import access, forms, workflow
from qihub.archive.actions import ACTIONS, describe, visible
from qihub.archive.models import ArchiveRead, ReadKind
from qihub.archive.registry import records_of
from qihub.core.api import form_body, invalid
from qihub.core.workflow import Refused, WorkflowError

router = Router(tags=["企业质量档案"], auth=AUTH)


@router.get(
    "/archive/grants", response=list[dict], summary="档案查阅授权（负责人：全部；工作人员：本人的）"
)
def grants(request: HttpRequest) -> list[dict]:
    return [describe(g, request.user) for g in workflow.visible_grants(request.user)[:200]]


@router.post(
    "/archive/grants",
    response={201: dict, 403: dict, 409: dict, 422: dict},
    summary="申请查阅企业质量档案（enterprise=企业名称或统一社会信用代码，reason，period_from/period_to）",
)
@form_body(forms.RequestForm)
def request_access(request: HttpRequest) -> Status:
    if not is_staff_member(request.user):
        return Status(403, {"detail": "只有平台工作人员可以申请查阅企业质量档案"})
    form = forms.RequestForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    data = form.cleaned_data
    try:
        grant = workflow.request_access(
            by=request.user,
            enterprise=data["enterprise"],
            reason=data["reason"],
            period_from=data["period_from"],
            period_to=data["period_to"],
        )
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, describe(grant, request.user))


@router.get("/archive/grants/{number}", response={200: dict, 404: dict}, summary="查阅授权详情")
def grant(request: HttpRequest, number: str) -> Status:
    found = visible(request.user, number)
    if found is None:
        return Status(404, {"detail": "没有该查阅授权，或您无权查看"})
    return Status(200, describe(found, request.user))


ACTIONS.register_api(router, "/archive/grants")


@router.get(
    "/archive/enterprises/{pk}",
    response={200: dict, 403: dict, 404: dict},
    summary="企业质量档案（企业本人，或持有效查阅授权的工作人员；每次查阅均记录）",
)
def enterprise(request: HttpRequest, pk: int) -> Status:
    found = Organisation.objects.filter(pk=pk, account__role=Role.ENTERPRISE).first()
    if found is None:
        return Status(404, {"detail": "没有该企业"})
    try:
        grant = access.check_read(request.user, found)
    except access.PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    access.log_read(request.user, found, grant, ReadKind.API)
    records = records_of(found.account)
    return Status(
        200,
        {
            "enterprise": found.name,
            "read_at": timezone.now().isoformat(),
            "records": [
                {
                    "kind": r.kind,
                    "kind_label": r.kind_label,
                    "title": r.title,
                    "number": r.number,
                    "status": r.status,
                    "at": r.at.isoformat(),
                    "entries": [
                        {"at": e.at.isoformat(), "what": e.what, "note": e.note, "by": e.by}
                        for e in r.entries
                    ],
                    "documents": [d.get_kind_display() for d in r.documents],
                }
                for r in records
            ],
        },
    )


@router.get(
    "/archive/reads",
    response={200: list[dict], 403: dict},
    summary="本企业档案的访问记录（谁、何时、为何查阅）",
)
def reads(request: HttpRequest) -> Status:
    enterprise = getattr(request.user, "organisation", None)
    if request.user.role != Role.ENTERPRISE or enterprise is None:
        return Status(403, {"detail": "只有企业本人可以查看其档案的访问记录"})
    rows = ArchiveRead.objects.filter(enterprise=enterprise).select_related("reader", "grant")
    return Status(
        200,
        [
            {
                "at": r.at.isoformat(),
                "reader": r.reader.shown_name,
                "kind": r.kind,
                "kind_label": r.get_kind_display(),
                "reason": r.grant.reason if r.grant else "",
                "grant": r.grant.number if r.grant else None,
            }
            for r in rows[:500]
        ],
    )
