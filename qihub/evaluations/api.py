"""Evaluations (EVAL-1), return visits (EVAL-2) and rectifications (EVAL-9) through the API: the
same rules as the pages. The rectification's steps come from its action table (`evaluations.actions`)."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from qihub.accounts.roles import is_handler
from qihub.accounts.tokens import AUTH
from qihub.core.api import form_body, invalid
from qihub.core.workflow import Refused, WorkflowError
from qihub.evaluations import forms, visits, workflow
from qihub.evaluations.actions import ACTIONS, describe, visible
from qihub.evaluations.models import INDICATORS, ReturnVisit
from qihub.orders.models import Order

router = Router(tags=["服务评价"], auth=AUTH)


@router.post(
    "/orders/{number}/evaluation",
    response={201: dict, 403: dict, 404: dict, 409: dict, 422: dict},
    summary="评价已完成的订单（五项指标 1–5 分，comment 可选）",
)
@form_body(forms.EvaluationForm)
def evaluate(request: HttpRequest, number: str) -> Status:
    order = Order.objects.visible_to(request.user).filter(number=number).first()
    if order is None:
        return Status(404, {"detail": "没有该订单"})
    staff = is_handler(request.user)
    form = forms.EvaluationForm(request.POST, staff=staff)
    if not form.is_valid():
        return invalid(form)
    data = form.cleaned_data
    try:
        evaluation = workflow.evaluate(
            order,
            by=request.user,
            scores={k: data[k] for k in INDICATORS},
            comment=data["comment"],
            channel=data.get("channel", "online"),
            entered_by=request.user if staff else None,
        )
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(
        201,
        {
            "order": order.number,
            "channel": evaluation.channel,
            **{k: getattr(evaluation, k) for k in INDICATORS},
        },
    )


@router.get(
    "/rectifications/{number}",
    response={200: dict, 404: dict},
    summary="整改详情（状态、计划、措施、复查结果，及当前可进行的操作）",
)
def rectification(request: HttpRequest, number: str) -> Status:
    r = visible(request.user, number)
    if r is None:
        return Status(404, {"detail": "没有该记录，或您无权查看"})
    return Status(200, describe(r, request.user))


ACTIONS.register_api(router, "/rectifications")


# --- EVAL-2: return visits for every kind of service, the same forms as the pages ----------------
def _visit(visit: ReturnVisit, reading: dict | None = None) -> dict:
    row = {
        "id": visit.pk,
        "service_kind": visit.service_kind,
        "service_kind_label": visit.service_kind_label,
        "service_number": visit.service_number,
        "client": visit.client.shown_name,
        "scheduled_for": visit.scheduled_for.isoformat(),
        "automatic": visit.scheduled_by_id is None,
        "status": visit.status,
        "status_label": visit.get_status_display(),
        "done_at": visit.done_at.isoformat() if visit.done_at else None,
        "method": visit.method,
        "result": visit.result,
        "satisfied": visit.satisfied,
        "problems": visit.problems,
    }
    if reading is not None:
        row["overdue"] = reading.get("overdue", False)
    return row


def _staff_only(request: HttpRequest) -> Status | None:
    if not is_handler(request.user):
        return Status(403, {"detail": "只有平台或站点工作人员可以办理回访"})
    return None


@router.get(
    "/return-visits",
    response={200: list[dict], 403: dict},
    summary="待回访（订单、质量门诊咨询、全程代办；已超期的在前）",
)
def visits_due(request: HttpRequest) -> Status:
    if refused := _staff_only(request):
        return refused
    rows = visits.due_rows(visits.due(request.user), timezone.now())
    return Status(200, [_visit(r["visit"], r) for r in rows])


@router.get(
    "/return-visits/archive",
    response={200: list[dict], 403: dict, 422: dict},
    summary="回访记录（筛选参数同网页：kind、number、satisfied、problems、since、until）",
)
def visit_archive(request: HttpRequest) -> Status:
    if refused := _staff_only(request):
        return refused
    filtered = visits.ArchiveFilter(request.GET, queryset=visits.done(request.user))
    if not filtered.is_valid():
        return invalid(filtered.form)
    return Status(200, [_visit(v) for v in filtered.qs[:500]])


@router.post(
    "/return-visits",
    response={201: dict, 403: dict, 409: dict, 422: dict},
    summary="为已办结的服务安排回访（服务编号、计划回访日期）",
)
@form_body(forms.ScheduleServiceForm)
def schedule_visit(request: HttpRequest) -> Status:
    if refused := _staff_only(request):
        return refused
    form = forms.ScheduleServiceForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    try:
        visit = workflow.schedule_return_visit(
            form.cleaned_data["service"], by=request.user, on=form.cleaned_data["on"]
        )
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, _visit(visit))


@router.post(
    "/return-visits/{visit_id}/result",
    response={200: dict, 403: dict, 404: dict, 409: dict, 422: dict},
    summary="登记回访结果（方式、结果、是否满意、客户反映的问题），归入回访记录",
)
@form_body(forms.VisitResultForm)
def record_visit(request: HttpRequest, visit_id: int) -> Status:
    if refused := _staff_only(request):
        return refused
    visit = visits.visits_for(request.user).filter(pk=visit_id).first()
    if visit is None:
        return Status(404, {"detail": "没有该回访"})
    form = forms.VisitResultForm({**request.POST.dict(), "visit": visit_id})
    if not form.is_valid():
        return invalid(form)
    data = form.cleaned_data
    try:
        visit = workflow.record_return_visit(
            visit,
            by=request.user,
            method=data["method"],
            result=data["result"],
            satisfied=data["satisfied"],
            problems=data["problems"],
        )
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(200, _visit(visit))
