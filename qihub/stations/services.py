"""The station's records that several pages and the API read: upkeep logging, assessment rows."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max

from qihub.accounts.models import Station
from qihub.demands.models import Demand, Visit
from qihub.evaluations.models import WindowCheck
from qihub.notifications.outbox import notify
from qihub.stations.models import Assessment, UpkeepItem, UpkeepLog

MIN_FULL_TIME = 2  # SJ 5.1


@transaction.atomic
def log_upkeep(item: UpkeepItem, *, by: Any, done_on: dt.date, result: str, note: str) -> UpkeepLog:
    """Record an inspection; the item falls due one cycle after its latest inspection (a log
    entered late for an older inspection does not pull the due date back)."""
    log = UpkeepLog.objects.create(item=item, by=by, done_on=done_on, result=result, note=note)
    latest = item.logs.aggregate(latest=Max("done_on"))["latest"]
    item.due_on = latest + dt.timedelta(days=item.cycle_days)
    item.save(update_fields=["due_on"])
    return log


def remind_due(today: dt.date) -> int:
    """Tell each item's responsible person once when it enters its reminder window."""
    sent = 0
    for item in UpkeepItem.objects.filter(remind_from=today).select_related(
        "station", "responsible"
    ):
        notify(
            [item.responsible],
            f"设施维护提醒：{item.station.name}“{item.name}”将于 {item.due_on:%Y-%m-%d} 到期",
            "请按时检查维护并在站点的设施维护页登记。",
            dedupe_key=f"upkeep-{item.pk}-{item.due_on:%Y%m%d}",
        )
        sent += 1
    return sent


@dataclass
class YearFigures:
    station: Station
    year: int
    staff: int
    full_time: int
    head: str
    training_hours: int
    campaigns: int
    demands: int
    visits: int
    checks: int
    failed_items: int
    upkeep_logs: int
    note: str

    @property
    def staffing_ok(self) -> bool:
        return self.full_time >= MIN_FULL_TIME and bool(self.head)


def year_figures(station: Station, year: int) -> YearFigures:
    memberships = list(station.memberships.select_related("user"))
    head = next((m.user.party_name for m in memberships if m.is_head), "")
    record = Assessment.objects.filter(station=station, year=year).first()
    checks = list(WindowCheck.objects.filter(station=station, checked_on__year=year))
    return YearFigures(
        station=station,
        year=year,
        staff=len(memberships),
        full_time=sum(m.full_time for m in memberships),
        head=head,
        training_hours=record.training_hours if record else 0,
        campaigns=record.campaigns if record else 0,
        demands=Demand.objects.filter(entered_by__station=station, published_at__year=year).count(),
        visits=Visit.objects.filter(station_staff__station=station, visited_on__year=year).count(),
        checks=len(checks),
        failed_items=sum(len(c.failed()) for c in checks),
        upkeep_logs=UpkeepLog.objects.filter(item__station=station, done_on__year=year).count(),
        note=record.note if record else "",
    )
