"""Every change of a clock goes through here: start, pause, resume, stop, recompute, sweep.

Each function is atomic, appends ClockEvent rows (never updated) and writes its notifications
in the same transaction.
"""

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from qihub.core.bulk import insert_rows
from qihub.deadlines.clocks import ClockSpec, spec_for
from qihub.deadlines.models import Clock, ClockEvent, ClockEventKind, ClockPause, ClockState
from qihub.notifications.models import Channel
from qihub.notifications.outbox import insert_outbox_rows, next_send_time, outbox_rows
from qihub.workcal.calendar import TZ, Due, WorkCalendar, end_of_day, local_date
from qihub.workcal.services import load_calendar

if TYPE_CHECKING:
    from qihub.accounts.models import User

REMIND_AT = dt.time(9, 0)


class ClockError(Exception):
    """A move the clock's declaration or state does not allow (shown to staff as is)."""


def _remind_at(due: dt.datetime, started: dt.datetime, calendar: WorkCalendar) -> dt.datetime:
    """09:00 on the last working day of the period (never before the clock started)."""
    day = local_date(due)
    while not calendar.is_working_day(day) and day > local_date(started):
        day -= dt.timedelta(days=1)
    return max(dt.datetime.combine(day, REMIND_AT, tzinfo=TZ), started)


def _paused_working_days(pause: ClockPause, calendar: WorkCalendar) -> int:
    # Whole working days between pause and resume: Mon→Wed is 2, Fri→Mon is 1 (the weekend
    # does not count), a pause within one day is 0.
    assert pause.ended_at is not None, "only a finished pause moves the deadline"
    return calendar.working_days_between(local_date(pause.started_at), local_date(pause.ended_at))


def _shift(due: dt.datetime, working_days: int, calendar: WorkCalendar) -> Due:
    if working_days <= 0:
        return Due(due, False)
    return calendar.add_working_days(due, working_days)


def _compute_due(clock: Clock, spec: ClockSpec, calendar: WorkCalendar) -> Due:
    # Only per-record periods read the subject (one query per such clock on a calendar import).
    due = spec.due(clock.started_at, calendar, clock.subject if spec.reads_subject else None)
    provisional = due.provisional
    at = due.at
    for pause in clock.pauses.filter(ended_at__isnull=False):
        shifted = _shift(at, _paused_working_days(pause, calendar), calendar)
        at, provisional = shifted.at, provisional or shifted.provisional
    return Due(at, provisional)


def _event(clock: Clock, kind: str, at: dt.datetime, **fields: object) -> ClockEvent:
    return ClockEvent(clock=clock, kind=kind, at=at, **fields)


@transaction.atomic(savepoint=False)  # nothing here is caught and continued from
def start_clock(
    code: str,
    subject: models.Model,
    *,
    owner: "User | None" = None,
    at: dt.datetime | None = None,
    calendar: WorkCalendar | None = None,
    since: dt.datetime | None = None,
    by: "User | None" = None,
    note: str = "",
) -> Clock:
    """Start a clock at `at`; its period counts from `since` (default `at`): a clock switched
    to or from its urgent variant keeps counting from when the original one started."""
    spec = spec_for(code)
    at = at or timezone.now()
    since = since or at
    calendar = calendar or load_calendar()
    due = spec.due(since, calendar, subject)
    clock = Clock.objects.create(
        code=code,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=str(subject.pk),
        owner=owner,
        state=ClockState.RUNNING,
        started_at=since,
        due_at=due.at,
        provisional=due.provisional,
        remind_at=_remind_at(due.at, since, calendar),
    )
    label = spec.label_for(subject) + (f"；{note}" if note else "")
    _event(clock, ClockEventKind.STARTED, at, due_after=due.at, note=label[:300], by=by).save()
    return clock


@transaction.atomic
def switch_clock(
    clock: Clock,
    subject: models.Model,
    *,
    by: "User | None" = None,
    at: dt.datetime | None = None,
    note: str = "",
) -> Clock:
    """The subject's urgency changed (DEM-14): stop the running clock and start it again from
    the same start under the period the subject now has (加急 or normal), both with events."""
    at = at or timezone.now()
    stop_clock(clock, by=by, at=at, note=note)
    return start_clock(
        clock.code, subject, owner=clock.owner, at=at, since=clock.started_at, by=by, note=note
    )


def _locked(clock: Clock) -> Clock:
    return Clock.objects.select_for_update().get(pk=clock.pk)


@transaction.atomic
def pause_clock(
    clock: Clock, *, reason: str, by: "User | None" = None, at: dt.datetime | None = None
) -> Clock:
    clock = _locked(clock)
    spec = spec_for(clock.code)
    if not spec.pausable:
        raise ClockError(f"“{spec.name}”时限不允许暂停")
    if clock.state != ClockState.RUNNING:
        raise ClockError(f"只有计时中的时限可以暂停（当前：{clock.get_state_display()}）")
    if not reason.strip():
        raise ClockError("暂停原因：必须填写")
    at = at or timezone.now()
    ClockPause.objects.create(clock=clock, started_at=at, reason=reason.strip(), by=by)
    clock.state = ClockState.PAUSED
    clock.save(update_fields=["state"])
    _event(clock, ClockEventKind.PAUSED, at, note=reason.strip()[:300], by=by).save()
    return clock


@transaction.atomic
def resume_clock(
    clock: Clock,
    *,
    by: "User | None" = None,
    at: dt.datetime | None = None,
    calendar: WorkCalendar | None = None,
) -> Clock:
    clock = _locked(clock)
    if clock.state != ClockState.PAUSED:
        raise ClockError("只有已暂停的时限可以恢复")
    at = at or timezone.now()
    calendar = calendar or load_calendar()
    pause = clock.pauses.get(ended_at__isnull=True)
    pause.ended_at = at
    pause.save(update_fields=["ended_at"])
    before = clock.due_at
    shifted = _shift(clock.due_at, _paused_working_days(pause, calendar), calendar)
    clock.state = ClockState.RUNNING
    clock.due_at = shifted.at
    clock.provisional = clock.provisional or shifted.provisional
    clock.remind_at = _remind_at(shifted.at, clock.started_at, calendar)
    clock.reminded_at = None if clock.remind_at > at else clock.reminded_at
    clock.save(update_fields=["state", "due_at", "provisional", "remind_at", "reminded_at"])
    _event(
        clock, ClockEventKind.RESUMED, at, due_before=before, due_after=clock.due_at, by=by
    ).save()
    return clock


@transaction.atomic(savepoint=False)  # nothing here is caught and continued from
def stop_clock(
    clock: Clock, *, by: "User | None" = None, at: dt.datetime | None = None, note: str = ""
) -> Clock:
    clock = _locked(clock)
    if clock.state == ClockState.STOPPED:
        return clock
    at = at or timezone.now()
    if clock.state == ClockState.PAUSED:
        clock.pauses.filter(ended_at__isnull=True).update(ended_at=at)
    clock.state = ClockState.STOPPED
    clock.stopped_at = at
    clock.save(update_fields=["state", "stopped_at"])
    late = "（已超时）" if at > clock.due_at else ""
    _event(clock, ClockEventKind.STOPPED, at, note=(note + late)[:300], by=by).save()
    return clock


@transaction.atomic
def recompute_open_clocks(years: set[int], *, by: "User | None" = None, note: str = "") -> int:
    """After a calendar change: move the due time of open, not yet overdue clocks it affects."""
    if not years:
        return 0
    now = timezone.now()
    calendar = load_calendar()
    first = dt.datetime(min(years), 1, 1, tzinfo=TZ)
    last = end_of_day(dt.date(max(years), 12, 31))
    affected = Clock.objects.select_for_update().filter(
        state__in=[ClockState.RUNNING, ClockState.PAUSED],
        overdue_at__isnull=True,
        due_at__gte=max(first, now),
        started_at__lte=last,
    )
    changed = 0
    events = []
    for clock in affected:
        due = _compute_due(clock, spec_for(clock.code), calendar)
        if due.at == clock.due_at and due.provisional == clock.provisional:
            continue
        events.append(
            _event(
                clock,
                ClockEventKind.RECOMPUTED,
                now,
                due_before=clock.due_at,
                due_after=due.at,
                note=note[:300] or "工作日历调整",
                by=by,
            )
        )
        clock.due_at, clock.provisional = due.at, due.provisional
        clock.remind_at = _remind_at(due.at, clock.started_at, calendar)
        if clock.remind_at > now:
            clock.reminded_at = None
        clock.save(update_fields=["due_at", "provisional", "remind_at", "reminded_at"])
        changed += 1
    ClockEvent.objects.bulk_create(events)
    return changed


@dataclass
class SweepResult:
    reminded: int = 0
    overdue: int = 0


def _claim(queryset: models.QuerySet, batch: int) -> list[int]:
    if connection.features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True)
    return list(queryset.order_by().values_list("id", flat=True)[:batch])


def sweep(now: dt.datetime | None = None, batch: int = 5000) -> SweepResult:
    """Remind before deadlines and escalate breaches. Idempotent: each row is claimed with a
    compare-and-set on its own column, so a second run (or a second worker) finds nothing."""
    now = now or timezone.now()
    calendar = load_calendar()
    # Texts and SMS/e-mail wait for working hours: one answer for the whole sweep.
    send_after = next_send_time(now, calendar)
    supervisors = list(
        get_user_model()
        .objects.filter(role="supervisor", is_active=True)
        .values_list("pk", flat=True)
    )
    result = SweepResult()
    due_for_reminder = Clock.objects.filter(
        state=ClockState.RUNNING, reminded_at__isnull=True, remind_at__lte=now, due_at__gt=now
    )
    remind = partial(_reminder, now=now, send_after=send_after)
    while ids := _sweep_batch(
        due_for_reminder, "reminded_at", ClockEventKind.REMINDED, now, batch, remind
    ):
        result.reminded += len(ids)
    breached = Clock.objects.filter(
        state=ClockState.RUNNING, overdue_at__isnull=True, due_at__lt=now
    )
    escalate = partial(_escalation, supervisors=supervisors, now=now, send_after=send_after)
    while ids := _sweep_batch(breached, "overdue_at", ClockEventKind.OVERDUE, now, batch, escalate):
        result.overdue += len(ids)
    return result


# What the reminder and escalation texts read of a clock; a named row from `values_list`.
SWEPT_COLUMNS = ("id", "code", "owner_id", "due_at", "object_id", "content_type_id")
SweptClock = Any


@transaction.atomic
def _sweep_batch(
    candidates: models.QuerySet[Clock],
    column: str,
    kind: str,
    now: dt.datetime,
    batch: int,
    notifications_for: Any,
) -> list[int]:
    ids = _claim(candidates, batch)
    if not ids:
        return []
    # Compare-and-set: only rows still unmarked are marked (and notified) by this run.
    Clock.objects.filter(id__in=ids, **{f"{column}__isnull": True}).update(**{column: now})
    # Rows, not model instances: a sweep reads tens of thousands (issue 23, bench/sla_sweep.py).
    clocks = list(Clock.objects.filter(id__in=ids).values_list(*SWEPT_COLUMNS, named=True))
    insert_rows(
        ClockEvent, ["clock_id", "kind", "at", "note"], ((c.id, kind, now, "") for c in clocks)
    )
    insert_outbox_rows([row for clock in clocks for row in notifications_for(clock)])
    return ids


def _reminder(clock: SweptClock, now: dt.datetime, send_after: dt.datetime) -> list[tuple]:
    if not clock.owner_id:
        return []
    spec = spec_for(clock.code)
    return outbox_rows(
        [clock.owner_id],
        f"{spec.name}即将到期",
        f"{spec.label}截止时间 {clock.due_at.astimezone(TZ):%Y-%m-%d %H:%M}，请及时办理。",
        channels=[Channel.INBOX, Channel.SMS],
        now=now,
        send_after=send_after,
    )


def _escalation(
    clock: SweptClock, supervisors: list[int], now: dt.datetime, send_after: dt.datetime
) -> list[tuple]:
    spec = spec_for(clock.code)
    kind = ContentType.objects.get_for_id(clock.content_type_id).name  # cached per type
    text = (
        f"{spec.label}已于 {clock.due_at.astimezone(TZ):%Y-%m-%d %H:%M} 超时"
        f"（对象：{kind} #{clock.object_id}）"
    )
    recipients = supervisors + ([clock.owner_id] if clock.owner_id else [])
    return outbox_rows(
        recipients,
        f"超时督办：{spec.name}",
        text,
        channels=[Channel.INBOX, Channel.EMAIL],
        now=now,
        send_after=send_after,
    )
