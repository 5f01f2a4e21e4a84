import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast

from qihub.accounts.models import User
from qihub.deadlines.clocks import spec_for
from qihub.deadlines.models import Clock, ClockState
from qihub.deadlines.queries import describe
from qihub.demands.models import OPEN_STATUSES, Demand
from qihub.institutions.tokens import document_terms
from qihub.workcal.services import load_calendar


def _open_clocks(content_type: ContentType) -> QuerySet[Clock]:
    return Clock.objects.filter(content_type=content_type).exclude(state=ClockState.STOPPED)


def by_urgency(demands: QuerySet[Demand]) -> QuerySet[Demand]:
    """The green channel first (DEM-14), then the least time left (the nearest due time of a
    demand's open clocks; none last), then the newest: sorted in SQL, so a queue's page reads
    only its own rows and their clocks however long the queue grows."""
    nearest = (
        _open_clocks(ContentType.objects.get_for_model(Demand))
        .filter(object_id=Cast(OuterRef("pk"), CharField()))
        .order_by("due_at")
        .values("due_at")[:1]
    )
    return demands.annotate(next_due=Subquery(nearest)).order_by(
        "-urgent", F("next_due").asc(nulls_last=True), "-published_at", "-pk"
    )


def clock_readings(demands: list[Demand], now: dt.datetime) -> dict[int, list[dict]]:
    """Each demand's open clocks read out (`deadlines.queries.describe`, with the clock's name),
    nearest due first, keyed by primary key: one query for a page of demands."""
    calendar = load_calendar()
    readings: dict[int, list[dict]] = {}
    by_id = {str(d.pk): d.pk for d in demands}
    clocks = _open_clocks(ContentType.objects.get_for_model(Demand)).filter(
        object_id__in=list(by_id)
    )
    for clock in clocks.order_by("due_at", "pk"):
        readings.setdefault(by_id[clock.object_id], []).append(
            {"name": spec_for(clock.code).name, **describe(clock, now, calendar)}
        )
    return readings


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
