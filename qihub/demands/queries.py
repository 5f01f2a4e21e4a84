import datetime as dt

from django.contrib.contenttypes.models import ContentType

from qihub.accounts.models import User
from qihub.deadlines.clocks import spec_for
from qihub.deadlines.models import Clock, ClockState
from qihub.deadlines.queries import describe
from qihub.demands.models import OPEN_STATUSES, Demand
from qihub.institutions.tokens import document_terms
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
        rows.append(
            {
                "demand": demand,
                "clocks": [
                    {"name": spec_for(c.code).name, **describe(c, now, calendar)} for c in mine
                ],
                "next_due": mine[0].due_at if mine else None,
            }
        )
    return rows


def similar_open_demand(client: User, text: str) -> Demand | None:
    """The client's open demand whose wording overlaps this one most, if it overlaps enough."""
    mine = {t for t in document_terms(text) if not t.startswith("c:")}
    if not mine:
        return None
    best, best_score = None, 0.0
    for demand in Demand.objects.filter(client=client, status__in=OPEN_STATUSES):
        theirs = {t for t in document_terms(demand.text()) if not t.startswith("c:")}
        score = len(mine & theirs) / max(len(mine | theirs), 1)
        if score > best_score:
            best, best_score = demand, score
    return best if best_score >= SIMILARITY else None


SIMILARITY = 0.6  # share of the wording (pairs, standards, words) two demands have in common
