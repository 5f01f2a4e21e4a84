"""Enrolment on the one workflow mechanism (ADR 0009): enrol (or wait), cancel, check in at the
door, attend with a result, evaluate. A cancellation promotes the first waiter; attendance
writes the participant's hours into the one training table (`TrainingRecord`)."""

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

import rules
from django.db.models import Q, QuerySet
from django.utils import timezone

from qihub.accounts.models import User
from qihub.accounts.roles import is_decider, is_institution
from qihub.core.numbering import next_number
from qihub.core.workflow import Workflow, WorkflowError, move
from qihub.notifications.outbox import notify
from qihub.training.models import (
    HOLDING,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    RecordSource,
    Result,
    TrainingEvent,
    TrainingRecord,
)

S = EnrolmentStatus
# Operators and institutions publish trainings and events (TRN-1).
may_organise = is_institution | is_decider
CODE_DIGITS = "0123456789"  # digits only: read out and typed at the door, no 0/O or 1/I mix-ups


@rules.predicate
def is_participant(user: Any, enrolment: Enrolment | None) -> bool:
    return enrolment is not None and enrolment.participant_id == getattr(user, "pk", None)


@rules.predicate
def organises(user: Any, enrolment: Enrolment | None) -> bool:
    if enrolment is None:
        return False
    return enrolment.event.organiser_id == getattr(user, "pk", None) or is_decider(user)


FLOW: Workflow[Enrolment] = Workflow(
    Enrolment,
    events=EnrolmentEvent,
    subject="enrolment",
    kinds={"waitlisted": "报名（进入候补）"},
    moves=[
        move(
            "enrol",
            "报名",
            rules.is_authenticated,
            {None},
            S.ENROLLED,
            event="enrolled",
            refusal="请先登录后再报名",
        ),
        move(
            "cancel",
            "取消报名",
            is_participant,
            {S.ENROLLED, S.WAITING},
            S.CANCELLED,
            event="cancelled",
            refusal="只有报名人本人可以取消报名",
        ),
        # Taken by the system on a cancellation, never offered as a button.
        move("promote", "候补转为正式报名", rules.always_allow, {S.WAITING}, S.ENROLLED),
        move("remind", "活动前一天提醒", rules.always_allow, {S.ENROLLED}, event="reminded"),
        move(
            "check_in",
            "签到",
            organises,
            {S.ENROLLED},
            S.CHECKED_IN,
            event="checked_in",
            refusal="只有活动主办方可以办理签到",
        ),
        move(
            "attend",
            "登记结业",
            organises,
            {S.CHECKED_IN},
            S.ATTENDED,
            event="attended",
            refusal="只有活动主办方可以登记出勤和结果",
        ),
        move(
            "evaluate",
            "评价活动",
            is_participant,
            {S.ATTENDED},
            event="evaluated",
            refusal="只有参加活动的本人可以评价",
        ),
    ],
)


def visible_enrolments(user: Any) -> QuerySet[Enrolment]:
    """One's own enrolments; an organiser's events' enrolments; operators all."""
    rows = Enrolment.objects.select_related("event", "event__organiser", "participant")
    if not getattr(user, "is_authenticated", False):
        return rows.none()
    if is_decider(user):
        return rows
    return rows.filter(Q(participant=user) | Q(event__organiser=user))


def publish_event(*, by: User, **fields: Any) -> TrainingEvent:
    if not may_organise(by):
        from qihub.core.workflow import Refused

        raise Refused("只有平台运营人员和技术机构可以发布培训活动")
    return TrainingEvent.objects.create(number=next_number("PX"), organiser=by, **fields)


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_DIGITS) for _ in range(8))
        if not Enrolment.objects.filter(code=code).exists():
            return code


def enrol(event: TrainingEvent, *, by: User) -> Enrolment:
    """A place if one is free, else the waiting list (in order of enrolment)."""
    with FLOW.create("enrol", by=by) as step:
        # Lock the event so two last-minute enrolments cannot both take the last place.
        event = TrainingEvent.objects.select_for_update().get(pk=event.pk)
        if event.organiser_id == by.pk:
            raise WorkflowError("主办方不能报名自己发布的活动")
        if step.at > event.enrol_by:
            raise WorkflowError("报名已截止")
        if event.enrolments.filter(participant=by).exclude(status=S.CANCELLED).exists():
            raise WorkflowError("您已报名该活动，请勿重复报名")
        full = event.enrolments.filter(status__in=HOLDING).count() >= event.capacity
        step.record = Enrolment.objects.create(
            event=event,
            participant=by,
            code=_new_code(),
            status=S.WAITING if full else S.ENROLLED,
            enrolled_at=step.at,
        )
        if full:
            step.kind = "waitlisted"
            step.note = "名额已满，进入候补名单"
    return step.record


def cancel(enrolment: Enrolment, *, by: User, version: int | None = None) -> None:
    with FLOW.step(enrolment, "cancel", by=by, version=version) as step:
        if step.at >= step.record.event.starts_at:
            raise WorkflowError("活动已开始，不能再取消报名")
        freed = step.source == S.ENROLLED
    if freed:
        waiter = (
            Enrolment.objects.filter(event_id=enrolment.event_id, status=S.WAITING)
            .order_by("enrolled_at", "pk")
            .first()
        )
        if waiter is not None:
            with FLOW.step(waiter, "promote", by=by, note="有人取消报名，候补依次转正"):
                notify(
                    [waiter.participant],
                    f"候补转正：{waiter.event.topic}",
                    "有报名人取消，您已由候补转为正式报名，请按时参加并凭签到码签到。",
                )


def check_in(enrolment: Enrolment, *, by: User, version: int | None = None) -> None:
    with FLOW.step(enrolment, "check_in", by=by, version=version) as step:
        step.set(checked_in_at=step.at)


def attend(enrolment: Enrolment, *, by: User, result: str, version: int | None = None) -> None:
    with FLOW.step(enrolment, "attend", by=by, version=version) as step:
        step.set(result=result)
        event = step.record.event
        # The hours count once the person was there, whatever the result.
        TrainingRecord.objects.create(
            person=step.record.participant,
            source=RecordSource.EVENT,
            held_on=timezone.localtime(event.starts_at).date(),
            topic=f"{event.get_kind_display()}：{event.topic}",
            organiser=event.organiser.party_name,
            hours=event.hours,
            passed=result != Result.FAILED,
            enrolment=step.record,
            recorded_by=by,
        )


def evaluate(
    enrolment: Enrolment, *, by: User, rating: int, comment: str, version: int | None = None
) -> None:
    with FLOW.step(enrolment, "evaluate", by=by, version=version) as step:
        if step.record.rating:
            raise WorkflowError("您已评价过该活动")
        step.set(rating=rating, comment=comment)


def remind_tomorrow(today: dt.date) -> int:
    """The day before: tell everyone holding a place (once)."""
    tomorrow = today + dt.timedelta(days=1)
    due = Enrolment.objects.filter(
        status=S.ENROLLED, reminded_at__isnull=True, event__starts_at__date=tomorrow
    ).select_related("event", "participant")
    sent = 0
    for enrolment in due:
        with FLOW.step(enrolment, "remind", by=None) as step:
            step.set(reminded_at=step.at)
            event = enrolment.event
            where = "线上" if event.online else event.place
            notify(
                [enrolment.participant],
                f"明天参加：{event.topic}",
                f"{timezone.localtime(event.starts_at):%m月%d日 %H:%M}，{where}。"
                f"签到码 {enrolment.code}，到场出示二维码或报出签到码即可签到。",
            )
        sent += 1
    return sent


def hours_of(user: User, year: int) -> Decimal:
    from django.db.models import Sum

    total = TrainingRecord.objects.filter(person=user, held_on__year=year).aggregate(
        s=Sum("hours")
    )["s"]
    # One decimal place always: the database may hand back 8 for 8.0.
    return Decimal(total or 0).quantize(Decimal("0.1"))
