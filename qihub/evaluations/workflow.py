"""Evaluations and return visits (EVAL-1, EVAL-2), the analysis of dissatisfied ones (EVAL-6),
and rectifications (EVAL-9): opened from a substantiated complaint, a dissatisfied evaluation or a
failed checklist item; 15-working-day clock; plan → corrective actions → verification."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from qihub.accounts.models import Organisation, Role, Station, User
from qihub.complaints.models import Complaint, ComplaintStatus, Target
from qihub.core.numbering import next_number
from qihub.core.records import lock_at_version, save_next_version
from qihub.deadlines import workflow as clocks
from qihub.deadlines.queries import open_clock
from qihub.evaluations.appraisal import apply_retraining_rule
from qihub.evaluations.models import (
    INDICATORS,
    Evaluation,
    EvaluationChannel,
    Rectification,
    RectificationEvent,
    RectificationSource,
    RectificationStatus,
    ReturnVisit,
    WindowCheck,
)
from qihub.notifications.outbox import notify
from qihub.orders.models import Order, OrderStatus
from qihub.workcal.calendar import TZ

STAFF = (Role.OPERATOR, Role.STATION_STAFF, Role.ADMIN)
VERIFIERS = (Role.OPERATOR, Role.ADMIN)
OPENERS = (Role.OPERATOR, Role.ADMIN, Role.SUPERVISOR)
RECTIFICATION_CLOCK = "rectification"


class EvaluationError(Exception):
    pass


def _check_scores(scores: dict[str, int]) -> None:
    for key, label in INDICATORS.items():
        value = scores.get(key)
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise EvaluationError(f"{label}：请打 1–5 分")


@transaction.atomic
def evaluate(
    order: Order,
    *,
    by: User,
    scores: dict[str, int],
    comment: str = "",
    channel: str = EvaluationChannel.ONLINE,
    entered_by: User | None = None,
) -> Evaluation:
    """One service, one evaluation: only the ordering member, only after completion, once.
    Staff enter evaluations received by phone or SMS on the member's behalf, marked so."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if entered_by is None and by.pk != order.client_id:
        raise EvaluationError("只有下单人可以评价该订单")
    if entered_by is not None and (
        entered_by.role not in STAFF or channel == EvaluationChannel.ONLINE
    ):
        raise EvaluationError("工作人员只能代录电话或短信评价")
    if order.status != OrderStatus.COMPLETED:
        raise EvaluationError("服务完成后才能评价")
    if Evaluation.objects.filter(order=order).exists():
        raise EvaluationError("该订单已评价，一事一评，不能重复评价")
    _check_scores(scores)
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                order=order,
                by=order.client,
                channel=channel,
                entered_by=entered_by,
                comment=comment.strip()[:500],
                **{k: scores[k] for k in INDICATORS},
            )
    except IntegrityError:  # a concurrent evaluation of the same order
        raise EvaluationError("该订单已评价，一事一评，不能重复评价") from None
    if evaluation.dissatisfied():
        notify(
            list(User.objects.filter(role=Role.OPERATOR, is_active=True)),
            f"不满意评价：订单 {order.number}",
            f"总体 {evaluation.overall} 分。{evaluation.comment}",
        )
        responsible = order.demand.responsible if order.demand is not None else None
        if responsible is not None:
            apply_retraining_rule(responsible)
    return evaluation


@transaction.atomic
def analyse(evaluation: Evaluation, *, by: User, analysis: str) -> Evaluation:
    """Every dissatisfied evaluation gets its cause analysed (EVAL-6)."""
    if by.role not in VERIFIERS:
        raise EvaluationError("只有平台运营人员可以分析不满意评价")
    if not evaluation.dissatisfied():
        raise EvaluationError("只有不满意评价需要原因分析")
    if not analysis.strip():
        raise EvaluationError("原因分析：必须填写")
    evaluation.analysis, evaluation.analysed_by, evaluation.analysed_at = (
        analysis.strip(),
        by,
        timezone.now(),
    )
    evaluation.save(update_fields=["analysis", "analysed_by", "analysed_at"])
    return evaluation


@transaction.atomic
def schedule_return_visit(order: Order, *, by: User, on: dt.date) -> ReturnVisit:
    if by.role not in STAFF:
        raise EvaluationError("只有平台或站点工作人员可以安排回访")
    if on < timezone.localdate():
        raise EvaluationError("计划回访日期：不能早于今天")
    if order.status != OrderStatus.COMPLETED:
        raise EvaluationError("服务完成后才能安排回访")
    return ReturnVisit.objects.create(order=order, scheduled_for=on, scheduled_by=by)


@transaction.atomic
def record_return_visit(
    visit: ReturnVisit, *, by: User, method: str, result: str, satisfied: bool | None
) -> ReturnVisit:
    visit = ReturnVisit.objects.select_for_update().get(pk=visit.pk)
    if by.role not in STAFF:
        raise EvaluationError("只有平台或站点工作人员可以登记回访")
    if visit.done_at:
        raise EvaluationError("该回访已登记结果")
    if not result.strip():
        raise EvaluationError("回访结果：必须填写")
    visit.done_at, visit.done_by = timezone.now(), by
    visit.method, visit.result, visit.satisfied = method.strip()[:20], result.strip(), satisfied
    visit.save(update_fields=["done_at", "done_by", "method", "result", "satisfied"])
    return visit


class RectificationError(Exception):
    pass


class RectificationConflict(RectificationError):
    def __init__(self) -> None:
        super().__init__("该整改已被他人处理，请刷新页面查看最新状态后再操作")


def _rectification_event(r: Rectification, kind: str, by: User | None, note: str = "") -> None:
    RectificationEvent.objects.create(rectification=r, kind=kind, by=by, note=note[:500])


def _responsible_accounts(r: Rectification) -> list[User]:
    """Who carries out the rectification: the institution's account or the station's staff."""
    if r.institution is not None:
        return [r.institution.account]
    if r.station is not None:
        return list(r.station.staff.filter(is_active=True))
    return list(User.objects.filter(role=Role.OPERATOR, is_active=True))


@transaction.atomic
def open_rectification(
    *,
    by: User,
    problem: str,
    complaint: Complaint | None = None,
    evaluation: Evaluation | None = None,
    window_check: WindowCheck | None = None,
    check_item: str = "",
) -> Rectification:
    """The subject follows from the source: the complained or evaluated institution, the station."""
    own_check = window_check is not None and by.station_id == window_check.station_id
    if by.role not in OPENERS and not (by.role == Role.STATION_STAFF and own_check):
        raise RectificationError("只有平台运营人员或监管部门可以发起整改")
    if not problem.strip():
        raise RectificationError("存在问题：必须填写")
    institution: Organisation | None = None
    station: Station | None = None
    if complaint is not None:
        if (
            complaint.status not in (ComplaintStatus.DECIDED, ComplaintStatus.CLOSED)
            or not complaint.substantiated
        ):
            raise RectificationError("只有经调查属实的投诉才能发起整改")
        source = RectificationSource.COMPLAINT
        institution = (
            complaint.against_organisation if complaint.target == Target.INSTITUTION else None
        )
        station = complaint.against_station or (
            complaint.against_staff.station if complaint.against_staff else None
        )
    elif evaluation is not None:
        if not evaluation.dissatisfied():
            raise RectificationError("只有不满意评价才能发起整改")
        source, institution = RectificationSource.EVALUATION, evaluation.order.institution
    elif window_check is not None:
        if check_item not in window_check.failed():
            raise RectificationError("评价项：只有不合格项才能发起整改")
        source, station = RectificationSource.WINDOW_CHECK, window_check.station
    else:
        raise RectificationError("整改来源：请选择投诉、不满意评价或窗口评价不合格项")
    duplicate = Rectification.objects.filter(
        complaint=complaint, evaluation=evaluation, window_check=window_check, check_item=check_item
    ).first()
    if duplicate is not None:
        raise RectificationError(f"该问题已发起整改 {duplicate.number}")
    at = timezone.now()
    r = Rectification.objects.create(
        number=next_number("ZG", at),
        source=source,
        complaint=complaint,
        evaluation=evaluation,
        window_check=window_check,
        check_item=check_item,
        institution=institution,
        station=station,
        problem=problem.strip(),
        status=RectificationStatus.OPEN,
        opened_by=by,
        opened_at=at,
    )
    clock = clocks.start_clock(RECTIFICATION_CLOCK, r, at=at)
    _rectification_event(r, "opened", by, f"{r.get_source_display()}：{problem.strip()[:200]}")
    due = clock.due_at.astimezone(TZ)
    notify(
        _responsible_accounts(r),
        f"整改通知：{r.number}",
        f"{problem.strip()[:200]}\n请于 {due:%Y-%m-%d} 前完成整改并提交验证。",
        now=at,
    )
    return r


def may_carry_out(r: Rectification, user: User) -> bool:
    if user.role in VERIFIERS:
        return True
    if r.institution is not None:
        return r.institution.account_id == user.pk
    return bool(r.station_id) and user.station_id == r.station_id


def _carry_out_step(
    r: Rectification,
    by: User,
    version: int | None,
    *,
    text: str,
    field: str,
    label: str,
    before: str,
    after: str,
    kind: str,
) -> Rectification:
    """The responsible party's two steps: the plan (open → planned), then the corrective actions
    (planned → acted, awaiting verification)."""
    r = lock_at_version(r, version, RectificationConflict)
    if not may_carry_out(r, by):
        raise RectificationError(f"只有整改责任方或运营人员可以填写{label}")
    if r.status != before:
        raise RectificationConflict
    if not text.strip():
        raise RectificationError(f"{label}：必须填写")
    r.status = after
    setattr(r, field, text.strip())
    save_next_version(r, "status", field)
    _rectification_event(r, kind, by, text.strip()[:200])
    return r


@transaction.atomic
def submit_plan(r: Rectification, *, by: User, version: int | None, plan: str) -> Rectification:
    return _carry_out_step(
        r,
        by,
        version,
        text=plan,
        field="plan",
        label="整改计划",
        kind="planned",
        before=RectificationStatus.OPEN,
        after=RectificationStatus.PLANNED,
    )


@transaction.atomic
def record_actions(
    r: Rectification, *, by: User, version: int | None, actions: str
) -> Rectification:
    r = _carry_out_step(
        r,
        by,
        version,
        text=actions,
        field="actions",
        label="纠正措施",
        kind="acted",
        before=RectificationStatus.PLANNED,
        after=RectificationStatus.ACTED,
    )
    notify(
        list(User.objects.filter(role__in=VERIFIERS, is_active=True)),
        f"整改待验证：{r.number}",
        actions.strip()[:200],
    )
    return r


@transaction.atomic
def verify(
    r: Rectification, *, by: User, version: int | None, effective: bool, result: str
) -> Rectification:
    """The operator re-checks: effective closes it and stops the clock (the result is published);
    not effective sends it back to corrective actions with the reason, the clock running on."""
    if by.role not in VERIFIERS:
        raise RectificationError("只有平台运营人员可以验证整改效果")
    r = lock_at_version(r, version, RectificationConflict)
    if r.status != RectificationStatus.ACTED:
        raise RectificationConflict
    if not result.strip():
        raise RectificationError("复查结果：必须填写")
    at = timezone.now()
    if effective:
        r.status, r.verification, r.closed_at = RectificationStatus.CLOSED, result.strip(), at
        save_next_version(r, "status", "verification", "closed_at")
        clock = open_clock(r, RECTIFICATION_CLOCK)
        if clock is not None:
            clocks.stop_clock(clock, by=by, at=at, note="整改效果验证通过")
        _rectification_event(r, "verified", by, "复查有效：" + result.strip()[:200])
    else:
        r.status = RectificationStatus.PLANNED
        save_next_version(r, "status")
        _rectification_event(r, "rejected", by, "复查未通过：" + result.strip()[:200])
    notify(
        _responsible_accounts(r),
        f"整改 {r.number} 复查{'通过' if effective else '未通过'}",
        result.strip(),
        now=at,
    )
    return r
