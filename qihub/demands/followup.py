"""The follow-up schedule of demands in service (DEM-7), as staff read it.

The points themselves are clocks (`demand_follow_up`, see `qihub.deadlines.clocks`); this module
only lists the running ones for a member of staff, the soonest due (and the overdue) first.
"""

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast

from qihub.accounts.models import User
from qihub.deadlines.models import Clock, ClockState
from qihub.deadlines.queries import describe
from qihub.demands.models import ContactLog, Demand, DemandStatus
from qihub.workcal.services import load_calendar

FOLLOW_UP_CLOCK = "demand_follow_up"


def _running() -> QuerySet[Clock]:
    return Clock.objects.filter(
        code=FOLLOW_UP_CLOCK, content_type=ContentType.objects.get_for_model(Demand)
    ).exclude(state=ClockState.STOPPED)


def to_follow_up(user: User) -> QuerySet[Demand]:
    """The demands in service this member of staff sees that have a follow-up point running."""
    running = _running().filter(object_id=Cast(OuterRef("pk"), CharField()))
    return (
        Demand.objects.visible_to(user)
        .filter(status=DemandStatus.IN_SERVICE)
        .filter(Exists(running))
    )


def due_rows(demands: QuerySet[Demand], now: dt.datetime) -> list[dict[str, Any]]:
    """Each demand with its follow-up point: overdue first, then the soonest due."""
    # The latest contact of every demand in one query, not one per row (B11).
    latest = ContactLog.objects.filter(demand=OuterRef("pk")).order_by("-at", "-id")
    demands = demands.select_related("client", "responsible", "caller").annotate(
        last_contact=Subquery(latest.values("pk")[:1])
    )
    found = {str(d.pk): d for d in demands}
    contacts = ContactLog.objects.in_bulk(
        [d.last_contact for d in found.values() if d.last_contact]
    )
    calendar = load_calendar()
    rows = []
    for clock in _running().filter(object_id__in=list(found)):
        reading = describe(clock, now, calendar)
        last = contacts.get(found[clock.object_id].last_contact)
        rows.append({"demand": found[clock.object_id], "clock": clock, "last": last, **reading})
    rows.sort(key=lambda r: (not r["overdue"], r["due_at"]))
    return rows
