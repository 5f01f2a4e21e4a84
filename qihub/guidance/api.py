"""Guidance through the API (ENT-4, ENT-5): the calendar of declaration windows (public), the
enterprise's own standards, starting a declaration from a window, the declarations, and the
declaration's steps from the same table as the pages (`actions.ACTIONS`)."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from qihub.accounts.roles import is_enterprise, is_staff_member
from qihub.accounts.tokens import AUTH
from qihub.core.api import form_body, invalid
from qihub.core.workflow import Refused, WorkflowError
from qihub.guidance import workflow
from qihub.guidance.actions import ACTIONS, describe
from qihub.guidance.forms import StandardForm, StartForm
from qihub.guidance.models import (
    Declaration,
    DeclarationWindow,
    EnterpriseStandard,
    Level,
    WindowKind,
)
from qihub.guidance.tables import in_phase, with_phase

router = Router(tags=["申报指导"])
member_router = Router(tags=["申报指导"], auth=AUTH)


def window_json(window: DeclarationWindow) -> dict:
    today = timezone.localdate()
    return {
        "id": window.pk,
        "kind": window.kind,
        "kind_label": window.get_kind_display(),
        "title": window.title,
        "level": window.level,
        "level_label": window.get_level_display(),
        "department": window.department,
        "opens_on": window.opens_on.isoformat(),
        "closes_on": window.closes_on.isoformat(),
        "phase": window.phase(today),
        "phase_label": window.phase_label(today),
        "checklist": window.checklist,
        "materials": window.material_list,
        "apply_url": window.apply_url,
        "basis": window.basis,
    }


def standard_json(standard: EnterpriseStandard) -> dict:
    due = standard.review_due_on
    return {
        "id": standard.pk,
        "number": standard.number,
        "title": standard.title,
        "product": standard.product,
        "edition": standard.edition,
        "issued_on": standard.issued_on.isoformat(),
        "declared": standard.declared,
        "declared_label": standard.get_declared_display(),
        "declared_on": standard.declared_on.isoformat() if standard.declared_on else None,
        "review_due_on": due.isoformat() if due else None,
        "review_overdue": standard.review_overdue(timezone.localdate()),
    }


@router.get(
    "/guidance/windows",
    response={200: list[dict], 422: dict},
    summary="申报日历（申报中在前；可按类别 kind、级别 level、状态 phase 筛选）",
)
def windows(
    request: HttpRequest, kind: str = "", level: str = "", phase: str = ""
) -> Status | list[dict]:
    rows = DeclarationWindow.objects.all()
    if level:
        if level not in Level.values:
            return Status(422, {"errors": {"level": ["级别：请从列表中选择"]}})
        rows = rows.filter(level=level)
    if kind:
        if kind not in WindowKind.values:
            return Status(422, {"errors": {"kind": ["申报类别：请从列表中选择"]}})
        rows = rows.filter(kind=kind)
    if phase:
        if phase not in ("open", "upcoming", "closed"):
            return Status(422, {"errors": {"phase": ["申报状态：请从列表中选择"]}})
        rows = in_phase(rows, phase, timezone.localdate())
    return [window_json(w) for w in with_phase(rows, timezone.localdate())]


@router.get("/guidance/windows/{pk}", response={200: dict, 404: dict}, summary="申报详情")
def window(request: HttpRequest, pk: int) -> Status | dict:
    found = DeclarationWindow.objects.filter(pk=pk).first()
    if found is None:
        return Status(404, {"detail": "没有该申报信息"})
    return window_json(found)


@member_router.post(
    "/guidance/windows/{pk}/declare",
    response={201: dict, 403: dict, 404: dict, 409: dict, 422: dict},
    summary="对照申报条件自查并开始跟进申报",
)
@form_body(StartForm)
def declare(request: HttpRequest, pk: int) -> Status:
    found = DeclarationWindow.objects.filter(pk=pk).first()
    if found is None:
        return Status(404, {"detail": "没有该申报信息"})
    form = StartForm(request.POST, record=found)
    try:
        workflow.FLOW.check_actor(request.user, None, "start")
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    if not form.is_valid():
        return invalid(form)
    try:
        made = workflow.start(found, by=request.user, met=form.cleaned_data["met"])
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, describe(made, request.user))


@member_router.get(
    "/guidance/declarations",
    response={200: list[dict], 403: dict},
    summary="我的申报（平台工作人员：全部企业的申报）",
)
def declarations(request: HttpRequest) -> Status | list[dict]:
    user = request.user
    rows = Declaration.objects.select_related("window", "enterprise")
    if not is_staff_member(user):
        if not is_enterprise(user):
            return Status(403, {"detail": "只有企业用户和平台工作人员可以查看申报"})
        rows = rows.filter(enterprise=user)
    return [describe(d, user) for d in rows]


@member_router.get(
    "/guidance/standards", response={200: list[dict], 403: dict}, summary="本企业的企业标准"
)
def standards(request: HttpRequest) -> Status | list[dict]:
    if not is_enterprise(request.user):
        return Status(403, {"detail": "只有企业用户可以登记企业标准"})
    return [standard_json(s) for s in EnterpriseStandard.objects.filter(owner=request.user)]


@member_router.post(
    "/guidance/standards",
    response={201: dict, 403: dict, 422: dict},
    summary="登记一项企业标准及其自我声明状态",
)
@form_body(StandardForm)
def add_standard(request: HttpRequest) -> Status:
    if not is_enterprise(request.user):
        return Status(403, {"detail": "只有企业用户可以登记企业标准"})
    form = StandardForm(request.POST, owner=request.user)
    if not form.is_valid():
        return invalid(form)
    standard = form.save(commit=False)
    standard.owner = request.user
    standard.save()
    return Status(201, standard_json(standard))


ACTIONS.register_api(member_router, "/guidance/declarations")
router.add_router("", member_router)
