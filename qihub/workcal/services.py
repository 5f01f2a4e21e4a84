"""The calendar as stored in the database, and the functions the rest of qihub calls."""

import datetime as dt
import threading

from django.core.cache import cache
from django.db import transaction

from qihub.workcal.calendar import Due, WorkCalendar
from qihub.workcal.models import CalendarException, CalendarYear

# Within one request the calendar is read once: a write starts several clocks and queues
# notifications, each of which asked for it (two queries a time; issue 22/23, write pages).
# Only during a request (a sweep or a task reads it fresh), and forgotten whenever a calendar
# row is saved or deleted (`watch`), so the request that edits the calendar sees its edit.
_request = threading.local()

# Between requests the calendar is kept in the shared cache, as the platform's own details are
# (catalog.PlatformInfo): every page showing a clock read its two tables (issue 23, B11: the
# staff's demand page). Forgotten on every change, now and once committed; the timeout bounds
# what a change made without a signal (a data migration's bulk insert) can leave behind.
CALENDAR_KEY = "workcal:calendar"
CALENDAR_SECONDS = 300


def load_calendar() -> WorkCalendar:
    if getattr(_request, "active", False):
        if getattr(_request, "calendar", None) is None:
            _request.calendar = _shared()
        return _request.calendar
    return _load()


def _shared() -> WorkCalendar:
    calendar = cache.get(CALENDAR_KEY)
    if calendar is None:
        calendar = _load()
        cache.set(CALENDAR_KEY, calendar, CALENDAR_SECONDS)
    return calendar


def _load() -> WorkCalendar:
    # Two small tables (about 30 rows a year); read whole, so the maths itself stays pure.
    exceptions = {
        row.date: (row.is_working, row.name)
        for row in CalendarException.objects.only("date", "is_working", "name")
    }
    return WorkCalendar(exceptions=exceptions, official_years=official_years())


def request_started(**kwargs: object) -> None:
    _request.active, _request.calendar = True, None


def request_finished(**kwargs: object) -> None:
    _request.active, _request.calendar = False, None


def forget(**kwargs: object) -> None:
    _request.calendar = None
    # Now, and again once committed: a page read between the save and its commit may have
    # cached the old calendar.
    cache.delete(CALENDAR_KEY)
    transaction.on_commit(lambda: cache.delete(CALENDAR_KEY))


def watch() -> None:
    from django.core import signals

    from qihub.core.generations import on_save_or_delete
    from qihub.workcal.signals import calendar_changed

    signals.request_started.connect(request_started, dispatch_uid="workcal-request-started")
    signals.request_finished.connect(request_finished, dispatch_uid="workcal-request-finished")
    calendar_changed.connect(forget, dispatch_uid="workcal-changed")
    on_save_or_delete((CalendarException, CalendarYear), forget, "workcal")


def official_years() -> frozenset[int]:
    return frozenset(CalendarYear.objects.filter(official=True).values_list("year", flat=True))


def is_working_day(day: dt.date, calendar: WorkCalendar | None = None) -> bool:
    return (calendar or load_calendar()).is_working_day(day)


def add_working_days(start: dt.datetime, n: int, calendar: WorkCalendar | None = None) -> Due:
    return (calendar or load_calendar()).add_working_days(start, n)


def add_months(start: dt.datetime, n: int, calendar: WorkCalendar | None = None) -> Due:
    return (calendar or load_calendar()).add_months(start, n)


def working_days_between(a: dt.date, b: dt.date, calendar: WorkCalendar | None = None) -> int:
    return (calendar or load_calendar()).working_days_between(a, b)
