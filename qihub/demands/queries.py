import datetime as dt

from django.contrib.contenttypes.models import ContentType

from qihub.deadlines.clocks import spec_for
from qihub.deadlines.models import Clock, ClockState
from qihub.deadlines.queries import describe
from qihub.demands.models import Demand
from qihub.workcal.services import load_calendar


def queue_rows(demands: object, now: dt.datetime) -> list[dict]:
    """Each demand with its open clocks read out, and the nearest due time (for sorting)."""
    demands = list(demands)
    calendar = load_calendar()
    clocks: dict[str, list[Clock]] = {}
    for clock in (
        Clock.objects.filter(
            content_type=ContentType.objects.get_for_model(Demand),
            object_id__in=[str(d.pk) for d in demands],
        )
        .exclude(state=ClockState.STOPPED)
        .order_by("due_at")
    ):
        clocks.setdefault(clock.object_id, []).append(clock)
    rows = []
    for demand in demands:
        mine = clocks.get(str(demand.pk), [])
        rows.append({
            "demand": demand,
            "clocks": [{"name": spec_for(c.code).name, **describe(c, now, calendar)} for c in mine],
            "next_due": mine[0].due_at if mine else None,
        })  # fmt: skip
    return rows
