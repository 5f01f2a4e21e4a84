"""The calendar as stored in the database, and the functions the rest of qihub calls."""

import datetime as dt

from qihub.workcal.calendar import Due, WorkCalendar
from qihub.workcal.models import CalendarException, CalendarYear


def load_calendar() -> WorkCalendar:
    # Two small tables (about 30 rows a year); read whole, so the maths itself stays pure.
    exceptions = {
        row.date: (row.is_working, row.name)
        for row in CalendarException.objects.only("date", "is_working", "name")
    }
    return WorkCalendar(exceptions=exceptions, official_years=official_years())


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
