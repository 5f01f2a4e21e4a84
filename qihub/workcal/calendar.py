"""Working-day maths on the official Chinese calendar — pure functions over a snapshot.

The rule (architecture.md, "Deadlines"): "N working days" ends at 23:59:59 Asia/Shanghai of the
Nth working day after the day of the event; the event day never counts. "N months" ends on the
same date N months later (or that month's last day). A working day is a weekday that is not a
holiday, or a make-up working day (调休). Years without an official schedule count weekends
only and mark the result provisional; nothing here raises for a year without data.
"""

import calendar as month_calendar
import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
END_OF_DAY = dt.time(23, 59, 59)


@dataclass(frozen=True)
class Due:
    at: dt.datetime
    provisional: bool

    def isoformat(self) -> str:
        return self.at.isoformat()


@dataclass(frozen=True)
class WorkCalendar:
    """Exceptions to the weekend rule and the years whose schedule is official."""

    exceptions: dict[dt.date, tuple[bool, str]] = field(default_factory=dict)
    official_years: frozenset[int] = frozenset()

    def is_working_day(self, day: dt.date) -> bool:
        exception = self.exceptions.get(day)
        if exception is not None:
            return exception[0]
        return day.weekday() < 5

    def day_name(self, day: dt.date) -> str:
        exception = self.exceptions.get(day)
        return exception[1] if exception else ""

    def is_official(self, year: int) -> bool:
        return year in self.official_years

    def _provisional(self, first: dt.date, last: dt.date) -> bool:
        return any(not self.is_official(y) for y in range(first.year, last.year + 1))

    def add_working_days(self, start: dt.datetime, n: int) -> Due:
        if n < 0:
            raise ValueError("working days must not be negative")
        event_day = local_date(start)
        day = event_day
        remaining = n
        while remaining:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return Due(end_of_day(day), self._provisional(event_day, day))

    def add_months(self, start: dt.datetime, n: int) -> Due:
        if n < 0:
            raise ValueError("months must not be negative")
        event_day = local_date(start)
        month_index = event_day.month - 1 + n
        year, month = event_day.year + month_index // 12, month_index % 12 + 1
        last_day = month_calendar.monthrange(year, month)[1]
        day = dt.date(year, month, min(event_day.day, last_day))
        return Due(end_of_day(day), self._provisional(event_day, day))

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days after `a` up to and including `b` (negative when b is before a)."""
        if b < a:
            return -self.working_days_between(b, a)
        count, day = 0, a
        while day < b:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count


def local_date(moment: dt.datetime | dt.date) -> dt.date:
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=TZ)
        return moment.astimezone(TZ).date()
    return moment


def end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, END_OF_DAY, tzinfo=TZ)
