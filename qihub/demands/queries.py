from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast

from qihub.accounts.models import User
from qihub.deadlines.models import Clock, ClockState
from qihub.demands.models import OPEN_STATUSES, Demand
from qihub.institutions.tokens import document_terms


def by_urgency(demands: QuerySet[Demand]) -> QuerySet[Demand]:
    """The green channel first (DEM-14), then the least time left (the nearest due time of a
    demand's open clocks; none last), then the newest: sorted in SQL, so a queue's page reads
    only its own rows and their clocks however long the queue grows."""
    nearest = (
        Clock.objects.filter(
            content_type=ContentType.objects.get_for_model(Demand),
            object_id=Cast(OuterRef("pk"), CharField()),
        )
        .exclude(state=ClockState.STOPPED)
        .order_by("due_at")
        .values("due_at")[:1]
    )
    return demands.annotate(next_due=Subquery(nearest)).order_by(
        "-urgent", F("next_due").asc(nulls_last=True), "-published_at", "-pk"
    )


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
