"""Clocks as people read them: due time and time left, for any record's pages."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from qihub.deadlines.clocks import spec_for
from qihub.deadlines.models import Clock, ClockState
from qihub.workcal.calendar import TZ
from qihub.workcal.services import load_calendar


def describe(clock: Clock | None, now: dt.datetime, calendar: object = None) -> dict:
    if clock is None:
        return {}
    if clock.state == ClockState.STOPPED:
        late = clock.stopped_at and clock.stopped_at > clock.due_at
        return {
            "due_at": clock.due_at,
            "overdue": bool(late),
            "stopped": True,
            "label": "超时办结" if late else "按时办结",
        }
    calendar = calendar or load_calendar()
    if clock.overdue_at or clock.due_at < now:
        return {"due_at": clock.due_at, "overdue": True, "label": "已超时"}
    days = calendar.working_days_between(
        now.astimezone(TZ).date(), clock.due_at.astimezone(TZ).date()
    )
    label = "今日到期" if days == 0 else f"剩余 {days} 个工作日"
    if clock.state == ClockState.PAUSED:
        label = "已暂停"
    return {"due_at": clock.due_at, "overdue": False, "label": label}


def clocks_for(subject: models.Model) -> QuerySet[Clock]:
    return Clock.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=str(subject.pk)
    )


def open_clock(subject: models.Model, code: str) -> Clock | None:
    return clocks_for(subject).filter(code=code).exclude(state=ClockState.STOPPED).first()


def open_clock_readings(
    subjects: list[models.Model], code: str, now: dt.datetime
) -> dict[int, dict]:
    """`describe(open_clock(s, code), now)` for a page of records of one model, keyed by primary
    key, in three queries however many records (a list's column must not read per row). A
    record without an open clock is absent (its reading is `{}`, as `describe(None)`)."""
    if not subjects:
        return {}
    by_key = {str(s.pk): s.pk for s in subjects}
    clocks = (
        Clock.objects.filter(
            content_type=ContentType.objects.get_for_model(subjects[0]),
            object_id__in=list(by_key),
            code=code,
        )
        .exclude(state=ClockState.STOPPED)
        .order_by("id")  # as `open_clock`'s .first() (by primary key): the oldest wins
    )
    found: dict[int, Clock] = {}
    for c in clocks:
        found.setdefault(by_key[c.object_id], c)
    calendar = load_calendar() if found else None
    return {pk: describe(c, now, calendar) for pk, c in found.items()}


def clocks_of(subject: models.Model, now: dt.datetime) -> list[dict]:
    """Every clock of a record, oldest first, with its name and reading."""
    calendar = load_calendar()
    clocks = clocks_for(subject).order_by("started_at", "id")
    return [
        {"clock": c, "name": spec_for(c.code).name, **describe(c, now, calendar)} for c in clocks
    ]


def clocks_of_each(
    subjects: list[models.Model], now: dt.datetime, *, running: bool = False
) -> dict[int, list[dict]]:
    """`clocks_of` for a page of records of one model, keyed by primary key: two queries for the
    calendar and one for the clocks, however many records (a list must not read per row).
    `running`: only the clocks not stopped, the nearest due first (a list's 时限 column)."""
    found: dict[int, list[dict]] = {s.pk: [] for s in subjects}
    if not subjects:
        return found
    calendar = load_calendar()
    clocks = Clock.objects.filter(
        content_type=ContentType.objects.get_for_model(subjects[0]),
        object_id__in=[str(s.pk) for s in subjects],
    )
    if running:
        clocks = clocks.exclude(state=ClockState.STOPPED).order_by("due_at", "id")
    else:
        clocks = clocks.order_by("started_at", "id")
    by_key = {str(pk): pk for pk in found}
    for c in clocks:
        found[by_key[c.object_id]].append(
            {"clock": c, "name": spec_for(c.code).name, **describe(c, now, calendar)}
        )
    return found
