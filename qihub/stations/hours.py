"""Whether a station is open at a moment (STA-2): its weekday periods, closed on the public
holidays of the working-day calendar (`qihub.workcal`), open on its make-up working days."""

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from qihub.workcal.calendar import TZ, WorkCalendar
from qihub.workcal.services import load_calendar

# A make-up working day (调休上班) keeps a normal working day's hours: Monday's.
MAKE_UP_WEEKDAY = 0


def periods_on(periods: Iterable, day: dt.date, calendar: WorkCalendar) -> list:
    """The periods that apply on `day`: none on a public holiday, Monday's on a make-up working
    weekend day, else that weekday's own (weekend periods are the station's extended hours)."""
    periods = list(periods)
    weekend = day.weekday() >= 5
    exception = calendar.exceptions.get(day)
    if exception is not None and not exception[0]:
        return []  # public holiday or bridging rest day
    if exception is not None and exception[0] and weekend:
        own = [p for p in periods if p.weekday == day.weekday()]
        return own or [p for p in periods if p.weekday == MAKE_UP_WEEKDAY]
    return [p for p in periods if p.weekday == day.weekday()]


def is_open(
    periods: Iterable, moment: dt.datetime | None = None, calendar: WorkCalendar | None = None
) -> bool:
    local = (moment or timezone.now()).astimezone(TZ)
    today = periods_on(periods, local.date(), calendar or load_calendar())
    now = local.time()
    return any(p.opens <= now < p.closes for p in today)


def open_map(stations: Iterable, moment: dt.datetime | None = None) -> dict[int, bool]:
    """{station id: open now} for stations whose `periods` were prefetched; one calendar read."""
    calendar = load_calendar()
    return {s.pk: is_open(s.periods.all(), moment, calendar) for s in stations}
