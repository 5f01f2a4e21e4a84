"""Evaluations and return visits (EVAL-1, EVAL-2), the analysis of dissatisfied ones (EVAL-6),
and rectifications (EVAL-9): opened from a substantiated complaint, a dissatisfied evaluation or a
failed checklist item; 15-working-day clock; plan → corrective actions → verification."""

import datetime as dt
from typing import Any

import rules
from django.db import IntegrityError, transaction

from qihub.accounts.models import Organisation, Role, Station, User
from qihub.accounts.roles import (
    DECIDERS,
    is_back_office,
    is_client,
    is_decider,
    is_handler,
    is_station_staff,
)
from qihub.agency.models import Entrustment, EntrustmentStatus
from qihub.clinic.models import Consultation, ConsultationStatus
from qihub.complaints.models import Complaint, ComplaintStatus, Target
from qihub.core.numbering import next_number
from qihub.core.workflow import Refused, Workflow, WorkflowError, move
from qihub.deadlines.queries import open_clock
from qihub.evaluations.appraisal import apply_retraining_rule
from qihub.evaluations.models import (
    INDICATORS,
    Evaluation,
    EvaluationChannel,
    EvaluationEvent,
    EvaluationStatus,
    Rectification,
    RectificationEvent,
    RectificationSource,
    RectificationStatus,
    ReturnVisit,
    ReturnVisitEvent,
    ReturnVisitStatus,
    ServiceKind,
    WindowCheck,
)
from qihub.notifications.outbox import notify
from qihub.orders.models import Order, OrderStatus
from qihub.workcal.calendar import TZ

RECTIFICATION_CLOCK = "rectification"
R = RectificationStatus


@rules.predicate
def is_responsible_party(user: User, r: Rectification | None) -> bool:
    """The institution's account or the station's staff the rectification is addressed to."""
    if r is None:
        return False
    if r.institution is not None:
        return r.institution.account_id == user.pk
    return bool(r.station_id) and user.station_id == r.station_id


# The operator may fill in on the responsible party's behalf (a paper plan handed in at a window).
may_carry_out = is_decider | is_responsible_party

EVALUATION_FLOW: Workflow[Evaluation] = Workflow(
    Evaluation,
    events=EvaluationEvent,
    subject="evaluation",
    moves=[
        # The ordering member online, or staff entering a phone or SMS evaluation for them; which
        # order is the member's is the body's check, the table only knows the actor.
        move(
            "evaluate",
            "评价",
            is_client | is_handler,
            {None},
            EvaluationStatus.EVALUATED,
            event="evaluated",
            refusal="只有下单人可以评价该订单",
        ),
        move(
            "analyse",
            "分析不满意原因",
            is_decider,
            {EvaluationStatus.EVALUATED},
            EvaluationStatus.ANALYSED,
            event="analysed",
            refusal="只有平台运营人员可以分析不满意评价",
        ),
    ],
)

# Return visits are their own small records: a completed order may get several (or none), and
# an order need not be evaluated to be visited, so they are not moves of the evaluation.
RETURN_VISIT_CLOCK = "return_visit"
RETURN_VISIT_FLOW: Workflow[ReturnVisit] = Workflow(
    ReturnVisit,
    events=ReturnVisitEvent,
    subject="visit",
    moves=[
        move(
            "schedule",
            "安排回访",
            is_handler,
            {None},
            ReturnVisitStatus.SCHEDULED,
            event="scheduled",
            refusal="只有平台或站点工作人员可以安排回访",
        ),
        # Taken inside the step that closes a service (see `receivers`): whoever closed it is
        # the actor in the history; nobody chooses it, so nobody is refused.
        move(
            "auto_schedule",
            "服务办结后自动安排回访",
            rules.always_allow,
            {None},
            ReturnVisitStatus.SCHEDULED,
            event="scheduled",
        ),
        move(
            "record",
            "登记回访结果",
            is_handler,
            {ReturnVisitStatus.SCHEDULED},
            ReturnVisitStatus.DONE,
            stops=(RETURN_VISIT_CLOCK,),
            event="recorded",
            refusal="只有平台或站点工作人员可以登记回访",
        ),
    ],
    stale="该回访已登记结果，请刷新页面查看",
)

RECTIFICATION_FLOW: Workflow[Rectification] = Workflow(
    Rectification,
    events=RectificationEvent,
    subject="rectification",
    stale="该整改已被他人处理，请刷新页面查看最新状态后再操作",
    moves=[
        # Station staff open rectifications only from their own station's checklist (the body's
        # check: the record does not exist yet when the table is asked).
        move(
            "open",
            "发起整改",
            is_back_office | is_station_staff,
            {None},
            R.OPEN,
            starts=(RECTIFICATION_CLOCK,),
            event="opened",
            refusal="只有平台运营人员或监管部门可以发起整改",
        ),
        move(
            "plan",
            "提交整改计划",
            may_carry_out,
            {R.OPEN},
            R.PLANNED,
            event="planned",
            refusal="只有整改责任方或运营人员可以填写整改计划",
        ),
        move(
            "actions",
            "登记纠正措施",
            may_carry_out,
            {R.PLANNED},
            R.ACTED,
            event="acted",
            refusal="只有整改责任方或运营人员可以填写纠正措施",
        ),
        # The clock runs on after a failed re-check: the 15 days are for an effective result.
        move(
            "verify",
            "验证整改效果",
            is_decider,
            {R.ACTED},
            R.CLOSED,
            stops=(RECTIFICATION_CLOCK,),
            event="verified",
            refusal="只有平台运营人员可以验证整改效果",
        ),
        move(
            "reject",
            "退回整改",
            is_decider,
            {R.ACTED},
            R.PLANNED,
            event="rejected",
            refusal="只有平台运营人员可以验证整改效果",
        ),
    ],
)


def _required(text: str, label: str) -> str:
    if not text.strip():
        raise WorkflowError(f"{label}：必须填写")
    return text.strip()


def _check_scores(scores: dict[str, int]) -> None:
    for key, label in INDICATORS.items():
        value = scores.get(key)
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise WorkflowError(f"{label}：请打 1–5 分")


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
    with EVALUATION_FLOW.create("evaluate", by=entered_by or by) as step:
        order = Order.objects.select_for_update().get(pk=order.pk)
        if entered_by is None and by.pk != order.client_id:
            raise Refused("只有下单人可以评价该订单")
        if entered_by is not None and (
            not is_handler(entered_by) or channel == EvaluationChannel.ONLINE
        ):
            raise WorkflowError("评价渠道：工作人员只能代录电话或短信评价")
        if order.status != OrderStatus.COMPLETED:
            raise WorkflowError("服务完成后才能评价")
        if Evaluation.objects.filter(order=order).exists():
            raise WorkflowError("该订单已评价，一事一评，不能重复评价")
        _check_scores(scores)
        try:
            with transaction.atomic():
                evaluation = Evaluation.objects.create(
                    order=order,
                    by=order.client,
                    channel=channel,
                    entered_by=entered_by,
                    comment=comment.strip()[:500],
                    status=step.target,
                    at=step.at,
                    **{k: scores[k] for k in INDICATORS},
                )
        except IntegrityError:  # a concurrent evaluation of the same order
            raise WorkflowError("该订单已评价，一事一评，不能重复评价") from None
        step.record = evaluation
        step.note = f"{evaluation.get_channel_display()}，总体 {evaluation.overall} 分"
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


def analyse(evaluation: Evaluation, *, by: User, analysis: str) -> Evaluation:
    """Every dissatisfied evaluation gets its cause analysed (EVAL-6), once."""
    with EVALUATION_FLOW.step(evaluation, "analyse", by=by) as step:
        if not step.record.dissatisfied():
            raise WorkflowError("只有不满意评价需要原因分析")
        text = _required(analysis, "原因分析")
        step.set(analysis=text, analysed_by=by, analysed_at=step.at)
        step.note = text[:200]
    return step.record


Service = Order | Consultation | Entrustment


def service_closed(service: Service) -> bool:
    """Served, answered or fully handled: only then is there something to visit about."""
    if isinstance(service, Order):
        return service.status == OrderStatus.COMPLETED
    if isinstance(service, Consultation):
        return service.status in (ConsultationStatus.ANSWERED, ConsultationStatus.DEMANDED)
    return service.status == EntrustmentStatus.DONE


def _service_field(service: Service) -> str:
    return {Order: "order", Consultation: "consultation", Entrustment: "entrustment"}[type(service)]


def _visit_owner(service: Service, by: User | None) -> User | None:
    """Whom the clock reminds: who scheduled it; else the staff who served the client (the
    demand's first responsible person, the agent); a consultation has none, so its lapse goes
    to the supervisors only."""
    if by is not None:
        return by
    if isinstance(service, Order):
        return service.demand.responsible if service.demand is not None else None
    if isinstance(service, Entrustment):
        return service.agent
    return None


def _create_visit(step: Any, service: Service, on: dt.date, by: User | None) -> ReturnVisit:
    if not service_closed(service):
        raise WorkflowError("服务完成后才能安排回访")
    step.record = ReturnVisit.objects.create(
        **{_service_field(service): service},
        scheduled_for=on,
        scheduled_at=step.at,
        scheduled_by=by,
        status=step.target,
    )
    what = ServiceKind(step.record.service_kind).label
    step.note = f"{what} {service.number}，计划 {on:%Y-%m-%d} 回访"
    return step.record


def _start_visit_clock(visit: ReturnVisit, service: Service, by: User | None) -> None:
    from qihub.deadlines.workflow import start_clock

    start_clock(
        RETURN_VISIT_CLOCK,
        visit,
        owner=_visit_owner(service, by),
        at=visit.scheduled_at,
        by=by,
    )


def schedule_return_visit(service: Service, *, by: User, on: dt.date) -> ReturnVisit:
    """Staff schedule a visit to the client of any closed service (EVAL-2)."""
    with RETURN_VISIT_FLOW.create("schedule", by=by) as step:
        if on < step.at.astimezone(TZ).date():
            raise WorkflowError("计划回访日期：不能早于今天")
        visit = _create_visit(step, service, on, by)
        _start_visit_clock(visit, service, by)
    return visit


def schedule_after_closing(service: Service, *, by: User | None, at: dt.datetime) -> ReturnVisit:
    """The platform schedules the visit itself when a service closes, RETURN_VISIT_AFTER_DAYS
    later; called inside the closing step, so both stand or fall together."""
    from django.conf import settings

    days = int(getattr(settings, "RETURN_VISIT_AFTER_DAYS", 7))
    on = at.astimezone(TZ).date() + dt.timedelta(days=days)
    with RETURN_VISIT_FLOW.create("auto_schedule", by=by, at=at) as step:
        visit = _create_visit(step, service, on, None)
        _start_visit_clock(visit, service, None)
    return visit


def record_return_visit(
    visit: ReturnVisit,
    *,
    by: User,
    method: str,
    result: str,
    satisfied: bool | None,
    problems: str = "",
) -> ReturnVisit:
    with RETURN_VISIT_FLOW.step(visit, "record", by=by) as step:
        text = _required(result, "回访结果")
        step.set(
            done_at=step.at,
            done_by=by,
            method=method.strip()[:20],
            result=text,
            satisfied=satisfied,
            problems=problems.strip()[:1000],
        )
        step.note = f"{method.strip()[:20]}：{text[:200]}"
        step.clock_note = "已回访"
    return step.record


def _responsible_accounts(r: Rectification) -> list[User]:
    """Who carries out the rectification: the institution's account or the station's staff."""
    if r.institution is not None:
        return [r.institution.account]
    if r.station is not None:
        return list(r.station.staff.filter(is_active=True))
    return list(User.objects.filter(role=Role.OPERATOR, is_active=True))


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
    with RECTIFICATION_FLOW.create("open", by=by) as step:
        own_check = window_check is not None and by.station_id == window_check.station_id
        if not is_back_office(by) and not own_check:
            raise Refused(step.move.refusal)
        text = _required(problem, "存在问题")
        institution: Organisation | None = None
        station: Station | None = None
        if complaint is not None:
            if (
                complaint.status not in (ComplaintStatus.DECIDED, ComplaintStatus.CLOSED)
                or not complaint.substantiated
            ):
                raise WorkflowError("只有经调查属实的投诉才能发起整改")
            source = RectificationSource.COMPLAINT
            institution = (
                complaint.against_organisation if complaint.target == Target.INSTITUTION else None
            )
            station = complaint.against_station or (
                complaint.against_staff.station if complaint.against_staff else None
            )
        elif evaluation is not None:
            if not evaluation.dissatisfied():
                raise WorkflowError("只有不满意评价才能发起整改")
            source, institution = RectificationSource.EVALUATION, evaluation.order.institution
        elif window_check is not None:
            if check_item not in window_check.failed():
                raise WorkflowError("评价项：只有不合格项才能发起整改")
            source, station = RectificationSource.WINDOW_CHECK, window_check.station
        else:
            raise WorkflowError("整改来源：请选择投诉、不满意评价或窗口评价不合格项")
        duplicate = Rectification.objects.filter(
            complaint=complaint,
            evaluation=evaluation,
            window_check=window_check,
            check_item=check_item,
        ).first()
        if duplicate is not None:
            raise WorkflowError(f"该问题已发起整改 {duplicate.number}")
        r = Rectification.objects.create(
            number=next_number("ZG", step.at),
            source=source,
            complaint=complaint,
            evaluation=evaluation,
            window_check=window_check,
            check_item=check_item,
            institution=institution,
            station=station,
            problem=text,
            status=step.target,
            opened_by=by,
            opened_at=step.at,
        )
        step.record = r
        step.note = f"{r.get_source_display()}：{text[:200]}"
    clock = open_clock(r, RECTIFICATION_CLOCK)
    due = f"请于 {clock.due_at.astimezone(TZ):%Y-%m-%d} 前" if clock is not None else "请按期"
    notify(
        _responsible_accounts(r),
        f"整改通知：{r.number}",
        f"{text[:200]}\n{due}完成整改并提交验证。",
        now=step.at,
    )
    return r


def submit_plan(r: Rectification, *, by: User, version: int | None, plan: str) -> Rectification:
    """The responsible party's plan: cause, improvement, completion date (open → planned)."""
    with RECTIFICATION_FLOW.step(r, "plan", by=by, version=version) as step:
        text = _required(plan, "整改计划")
        step.set(plan=text)
        step.note = text[:200]
    return step.record


def record_actions(
    r: Rectification, *, by: User, version: int | None, actions: str
) -> Rectification:
    """The corrective actions taken (planned → acted), which the operators then verify."""
    with RECTIFICATION_FLOW.step(r, "actions", by=by, version=version) as step:
        text = _required(actions, "纠正措施")
        step.set(actions=text)
        step.note = text[:200]
        notify(
            list(User.objects.filter(role__in=DECIDERS, is_active=True)),
            f"整改待验证：{step.record.number}",
            text[:200],
        )
    return step.record


def verify(
    r: Rectification, *, by: User, version: int | None, effective: bool, result: str
) -> Rectification:
    """The operator re-checks: effective closes it and stops the clock (the result is published);
    not effective sends it back to corrective actions with the reason, the clock running on."""
    with RECTIFICATION_FLOW.step(
        r, "verify" if effective else "reject", by=by, version=version
    ) as step:
        text = _required(result, "复查结果")
        if effective:
            step.set(verification=text, closed_at=step.at)
            step.note = "复查有效：" + text[:200]
            step.clock_note = "整改效果验证通过"
        else:
            step.note = "复查未通过：" + text[:200]
        notify(
            _responsible_accounts(step.record),
            f"整改 {step.record.number} 复查{'通过' if effective else '未通过'}",
            text,
            now=step.at,
        )
    return step.record
