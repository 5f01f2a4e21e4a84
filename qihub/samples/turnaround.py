"""Turnaround per leg of a sample's journey (ORD-4), in working time from `qihub.workcal`:
receipt → hand-over to transport → institution receipt → report → report handed out.

Working time counts only the hours that fall on working days (make-up working days included,
holidays and weekends left out), so a sample received on Friday evening and handed over on
Monday morning waited hours, not days."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from qihub.workcal.calendar import TZ, WorkCalendar
from qihub.workcal.services import load_calendar

LEGS = [
    ("dispatch", "站点收样至交付转运"),
    ("arrival", "交付转运至机构接收"),
    ("report", "机构接收至出具报告"),
    ("handout", "出具报告至站点发放"),
]


@dataclass(frozen=True)
class Leg:
    key: str
    label: str
    hours: float | None  # None: the leg has not ended (or not begun)
    days: int | None

    @property
    def text(self) -> str:
        if self.hours is None:
            return "—"
        if self.days:
            return f"{self.days} 个工作日（工作日内 {self.hours:.1f} 小时）"
        return f"工作日内 {self.hours:.1f} 小时"


def working_hours(a: dt.datetime, b: dt.datetime, calendar: WorkCalendar) -> float:
    """Hours between a and b that fall on working days (Asia/Shanghai)."""
    a, b = a.astimezone(TZ), b.astimezone(TZ)
    if b <= a:
        return 0.0
    total = dt.timedelta()
    day = a.date()
    while day <= b.date():
        if calendar.is_working_day(day):
            start = max(a, dt.datetime.combine(day, dt.time(), tzinfo=TZ))
            end = min(b, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=TZ))
            if end > start:
                total += end - start
        day += dt.timedelta(days=1)
    return round(total.total_seconds() / 3600, 1)


def _moments(sample: object) -> list[dt.datetime | None]:
    report = getattr(sample.order, "report", None)  # type: ignore[attr-defined]
    return [
        sample.received_at,  # type: ignore[attr-defined]
        sample.dispatched_at,  # type: ignore[attr-defined]
        sample.arrived_at,  # type: ignore[attr-defined]
        report.issued_at if report is not None and sample.arrived_at else None,  # type: ignore[attr-defined]
        sample.handed_out_at,  # type: ignore[attr-defined]
    ]


def legs(sample: object, calendar: WorkCalendar | None = None) -> list[Leg]:
    """The four legs of one sample, each with its working time once it has ended."""
    calendar = calendar or load_calendar()
    moments = _moments(sample)
    result = []
    for (key, label), start, end in zip(LEGS, moments, moments[1:], strict=False):
        if start is None or end is None:
            result.append(Leg(key, label, None, None))
            continue
        days = calendar.working_days_between(start.astimezone(TZ).date(), end.astimezone(TZ).date())
        result.append(Leg(key, label, working_hours(start, end, calendar), days))
    return result


def averages(samples: Iterable[object], calendar: WorkCalendar | None = None) -> dict[str, str]:
    """Mean working hours of each ended leg over `samples` ("—" when none ended)."""
    calendar = calendar or load_calendar()
    sums: dict[str, list[float]] = {key: [] for key, _ in LEGS}
    for sample in samples:
        for leg in legs(sample, calendar):
            if leg.hours is not None:
                sums[leg.key].append(leg.hours)
    return {
        key: (f"{sum(values) / len(values):.1f} 小时" if values else "—")
        for key, values in sums.items()
    }
