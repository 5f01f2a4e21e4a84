"""Free slots of a resource (ORD-3): its hours (a station's own periods, or the resource's weekly
hours), closed on the working-day calendar's holidays (`qihub.stations.hours.periods_on`), cut by
the policy and by the bookings that hold a slot."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from qihub.accounts.models import User
from qihub.bookings.models import ACTIVE, Booking, Purpose, Resource
from qihub.core.workflow import WorkflowError
from qihub.stations.hours import periods_on
from qihub.workcal.calendar import TZ, WorkCalendar
from qihub.workcal.services import load_calendar

# What a resource kind allows, registered by the app that adds the kind (INS-1 adds instruments
# in `qihub.instruments.apps`), so bookings stays the one mechanism without knowing them.
PURPOSES: dict[str, tuple[str, ...]] = {}
DEFAULT_PURPOSES = (Purpose.CONSULT, Purpose.SAMPLE, Purpose.REPORT)
# (resource, user, purpose) → raise WorkflowError naming the field when the kind refuses.
CHECKS: dict[str, Callable[[Resource, User, str], None]] = {}
# resource → the address of the kind's own page, where its booking form lives.
PAGES: dict[str, Callable[[Resource], str]] = {}
# The template a kind adds to a booking's page (an instrument's use record and fee slip).
PANELS: dict[str, str] = {}


def purposes_for(resource: Resource) -> list[tuple[str, str]]:
    values = PURPOSES.get(resource.kind, DEFAULT_PURPOSES)
    return [(v, Purpose(v).label) for v in values]


@dataclass(frozen=True)
class Slot:
    start: dt.datetime
    end: dt.datetime
    free: bool

    @property
    def key(self) -> str:
        """The value the booking form posts: local time, minute precision."""
        return self.start.astimezone(TZ).strftime("%Y-%m-%d %H:%M")


def periods(resource: Resource) -> list:
    if resource.station_id is not None:
        return list(resource.station.periods.all())
    return list(resource.hours.all())


def day_slots(
    resource: Resource, day: dt.date, calendar: WorkCalendar, taken: list[tuple]
) -> list[Slot]:
    step = dt.timedelta(minutes=resource.slot_minutes)
    gap = dt.timedelta(minutes=resource.gap_minutes)
    slots = []
    for period in periods_on(periods(resource), day, calendar):
        at = dt.datetime.combine(day, period.opens, TZ)
        closes = dt.datetime.combine(day, period.closes, TZ)
        while at + step <= closes:
            free = not any(s < at + step + gap and e > at - gap for s, e in taken)
            slots.append(Slot(at, at + step, free))
            at += step
    return slots


def grid(
    resource: Resource, days: int = 7, now: dt.datetime | None = None
) -> list[tuple[dt.date, list[Slot]]]:
    """The next `days` days with their slots (past ones left out), for the picking page."""
    now = now or timezone.now()
    calendar = load_calendar()
    first = now.astimezone(TZ).date()
    last = first + dt.timedelta(days=min(days, resource.horizon_days))
    taken = list(
        Booking.objects.filter(
            resource=resource, status__in=ACTIVE, end__gt=now, start__lt=_midnight(last)
        ).values_list("start", "end")
    )
    out = []
    day = first
    while day < last:
        slots = [s for s in day_slots(resource, day, calendar, taken) if s.start > now]
        if slots:
            out.append((day, slots))
        day += dt.timedelta(days=1)
    return out


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), TZ)


def parse_start(value: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(value.strip(), "%Y-%m-%d %H:%M").replace(tzinfo=TZ)
    except ValueError as exc:
        raise WorkflowError("预约时段：格式应为 年-月-日 时:分") from exc


def check_request(
    resource: Resource,
    user: User,
    start: dt.datetime,
    slots: int,
    purpose: str,
    now: dt.datetime | None = None,
) -> None:
    """Everything but the clash, which only the locked transaction may decide."""
    now = now or timezone.now()
    allowed = purposes_for(resource)
    if purpose not in [value for value, _ in allowed]:
        raise WorkflowError("事由：请选择" + "、".join(label for _, label in allowed))
    if resource.kind in CHECKS:
        CHECKS[resource.kind](resource, user, purpose)
    if not resource.min_slots <= slots <= resource.max_slots:
        raise WorkflowError(f"时段数：须在 {resource.min_slots} 至 {resource.max_slots} 之间")
    if start <= now:
        raise WorkflowError("预约时段：不能预约已过去的时间")
    if start.astimezone(TZ).date() >= now.astimezone(TZ).date() + dt.timedelta(
        days=resource.horizon_days
    ):
        raise WorkflowError(f"预约时段：只能预约 {resource.horizon_days} 天以内的时段")
    check_in_hours(resource, start, slots)


def check_in_hours(resource: Resource, start: dt.datetime, slots: int) -> None:
    """`slots` consecutive slots from `start` lie in the resource's opening hours that day."""
    calendar = load_calendar()
    day = start.astimezone(TZ).date()
    starts = [s.start for s in day_slots(resource, day, calendar, [])]
    step = dt.timedelta(minutes=resource.slot_minutes)
    wanted = [start + step * i for i in range(slots)]
    if any(w not in starts for w in wanted):
        raise WorkflowError("预约时段：不在开放时间内，请从可选时段中选择")


def check_user_limits(resource: Resource, user: User, start: dt.datetime) -> None:
    mine = Booking.objects.filter(resource=resource, user=user, status__in=ACTIVE)
    if mine.filter(start__gt=timezone.now()).count() >= resource.max_future:
        raise WorkflowError(f"预约时段：您在此处的未来预约已达 {resource.max_future} 个")
    day = start.astimezone(TZ).date()
    same_day = mine.filter(start__gte=_midnight(day), start__lt=_midnight(day) + dt.timedelta(1))
    if same_day.count() >= resource.per_day:
        raise WorkflowError(f"预约时段：您在同一天最多预约 {resource.per_day} 次")
