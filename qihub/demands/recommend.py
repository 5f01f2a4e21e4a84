"""Recommending institutions for a demand (DEM-4, DEM-5): which listed institutions' scope covers
what the enterprise wrote, ranked, each with its reasons.

A demand is free text, so unlike search not every word is required. The informative terms of
the text (standard numbers, and the Chinese pairs that few institutions carry) are weighted by
rarity (idf); an institution scores the weight of the terms its scope lines carry, boosted for
the demand's category and region. Candidates come from the same postings as search, so only
institutions with a valid qualification appear (MATCH-3), and the final list is checked against
the live records. An institution's track record over the last year (on-time completion and its
clients' ratings, once there are enough of them) moves the score by up to about ±10 %. See ADR 0006 for
the index, ADR 0007 for this scoring.
"""

import datetime as dt
import math
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Avg, Case, Count, F, FloatField, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from qihub.accounts.models import MemberKind, Organisation
from qihub.catalog.models import Category
from qihub.demands.models import Demand, Recommendation, RecommendedInstitution
from qihub.institutions.models import ScopeLine, SearchTerm
from qihub.institutions.search import CARRIER_CACHE_SECONDS, NAME, SCOPE, carrier_counts, highlight
from qihub.institutions.tokens import document_terms
from qihub.institutions.workflow import listed_institutions
from qihub.workcal.calendar import TZ

COUNT_CAP = 5000  # carriers are counted up to here; commoner terms all get the floor weight
MAX_TERMS = 16
SHORTLIST = 60  # institutions scored in detail after the index pass
REGION_BOOST = {6: 1.3, 4: 1.2, 2: 1.1}  # same county / city / province
CATEGORY_BOOST = 1.25
TRACK_RECORD_DAYS = 365
TRACK_RECORD_MIN = 5  # completed orders (or evaluations) before they count either way


@dataclass
class Candidate:
    organisation: Organisation
    score: float
    reasons: list[str] = field(default_factory=list)
    matched_lines: list[str] = field(default_factory=list)


def _institution_count() -> int:
    total = cache.get("qihub:institution-count")
    if total is None:
        total = max(Organisation.objects.filter(kind=MemberKind.INSTITUTION).count(), 1)
        cache.set("qihub:institution-count", total, timeout=CARRIER_CACHE_SECONDS)
    return total


def informative_terms(text: str, postings: QuerySet[SearchTerm]) -> dict[str, float]:
    """term → idf for the terms of the text that institutions' scope lines carry (words of the
    demand no scope line has, such as 公司 or 需要, drop out here)."""
    terms = {t for t in document_terms(text) if not t.startswith("c:")}  # pairs, standards, words
    total = _institution_count()
    counts = carrier_counts(terms, postings, COUNT_CAP, "scope-carriers")
    weights: dict[str, float] = {}
    for term, carriers in counts.items():
        if carriers:
            boost = 2.0 if term.startswith("s:") else 1.0  # a standard number is a strong signal
            weights[term] = boost * math.log(1 + total / carriers)
    best = sorted(weights, key=lambda t: (-weights[t], t))[:MAX_TERMS]
    return {t: weights[t] for t in best}


def recommend(
    text: str,
    *,
    category: str = "",
    region: str = "",
    limit: int = 10,
    today: dt.date | None = None,
) -> list[Candidate]:
    today = today or dt.datetime.now(TZ).date()
    # Scope postings only: a word in an institution's name says nothing about its capability.
    postings = SearchTerm.objects.filter(listed_until__gte=today, weight__gte=SCOPE).filter(
        Q(weight__lt=NAME) | Q(weight__gte=NAME + SCOPE)
    )
    weights = informative_terms(text, postings)
    if not weights:
        return []
    # Index pass: the idf mass each institution's scope carries, summed in the database.
    mass = Case(
        *[When(term=term, then=Value(weight)) for term, weight in weights.items()],
        default=Value(0.0),
        output_field=FloatField(),
    )
    ranked = (
        postings.filter(term__in=weights)
        .values("organisation")
        .annotate(mass=Sum(mass))
        .order_by("-mass", "organisation")[:SHORTLIST]
    )
    rows = {row["organisation"]: row["mass"] for row in ranked}
    live = set(listed_institutions(today).filter(pk__in=rows).values_list("pk", flat=True))
    organisations = _with_track_record(
        Organisation.objects.filter(pk__in=live), today
    ).prefetch_related("qualifications")
    lines_by_org: dict[int, list[ScopeLine]] = {}
    for line in ScopeLine.objects.filter(organisation__in=live).order_by("id"):
        lines_by_org.setdefault(line.organisation_id, []).append(line)
    total_mass = sum(weights.values())
    candidates = []
    for organisation in organisations:
        candidates.append(
            _explain(
                organisation,
                rows[organisation.pk],
                total_mass,
                weights,
                lines_by_org.get(organisation.pk, []),
                category,
                region,
                today,
            )
        )
    candidates.sort(key=lambda c: (-c.score, c.organisation.name))
    return candidates[:limit]


def _with_track_record(
    organisations: QuerySet[Organisation], today: dt.date
) -> QuerySet[Organisation]:
    """Completed orders, on-time ones and ratings of the last year, through the reverse relations
    (demands does not import orders or evaluations: ADR 0001)."""
    since = timezone.now() - dt.timedelta(days=TRACK_RECORD_DAYS)
    done = Q(orders_received__status="completed", orders_received__completed_at__gte=since)
    in_time = done & (
        Q(orders_received__due_at=None)
        | Q(orders_received__completed_at__lte=F("orders_received__due_at"))
    )
    rated = done & Q(orders_received__evaluation__isnull=False)
    return organisations.annotate(
        track_done=Count("orders_received", filter=done),
        track_on_time=Count("orders_received", filter=in_time),
        track_rated=Count("orders_received__evaluation", filter=rated),
        track_rating=Avg("orders_received__evaluation__overall", filter=rated),
    )


def track_record_factor(done: int, on_time: int, rated: int, rating: float) -> tuple[float, str]:
    """About 0.90–1.10 and the reason to show; 1.0 and no reason until there is enough to judge."""
    factor, parts = 1.0, []
    if done >= TRACK_RECORD_MIN:
        rate = on_time / done
        factor *= 0.95 + 0.1 * rate
        parts.append(f"近一年完成 {done} 单，按时完成率 {100 * rate:.0f}%")
    if rated >= TRACK_RECORD_MIN:
        factor *= 0.95 + 0.1 * (rating - 1) / 4
        parts.append(f"客户评价均分 {rating:.1f}（{rated} 条）")
    return factor, "；".join(parts)


def _explain(
    organisation: Organisation,
    mass: float,
    total_mass: float,
    weights: dict[str, float],
    lines: list[ScopeLine],
    category: str,
    region: str,
    today: dt.date,
) -> Candidate:
    """Score one shortlisted institution and say why, from its scope lines."""
    scored = []
    for line in lines:
        text = " ".join([line.object, line.parameter, line.standard, line.limits])
        terms = document_terms(text)
        carried = [t for t in weights if t in terms]
        if carried:
            scored.append((sum(weights[t] for t in carried), line))
    scored.sort(key=lambda pair: (-pair[0], pair[1].pk))
    # The best single line says most about fitness: one line carrying the product, the
    # parameter and the standard beats the same words spread over unrelated lines.
    best_line = scored[0][0] if scored else 0.0
    coverage = mass / total_mass
    score = 100 * (0.6 * best_line / total_mass + 0.4 * coverage)
    reasons = []
    for _, line in scored[:3]:
        words = " ｜ ".join(filter(None, [line.object, line.parameter, line.standard]))
        reasons.append(f"能力范围：{words}")
    if category and any(line.category == category for line in lines):
        score *= CATEGORY_BOOST
        reasons.append(f"服务类别：{Category(category).label}")
    valid = [q for q in organisation.qualifications.all() if q.valid_until >= today]
    for qualification in valid[:2]:
        reasons.append(
            f"资质：{qualification.get_type_display()} {qualification.number}，"
            f"有效期至 {qualification.valid_until:%Y-%m-%d}"
        )
    for digits in (6, 4, 2):
        if region and len(region) >= digits and organisation.region[:digits] == region[:digits]:
            score *= REGION_BOOST[digits]
            reasons.append({6: "同一区县", 4: "同一城市", 2: "同一省份"}[digits])
            break
    factor, record = track_record_factor(
        *(
            getattr(organisation, f"track_{name}", None) or 0
            for name in ("done", "on_time", "rated", "rating")
        )
    )
    if record:
        score *= factor
        reasons.append(record)
    marked = [
        highlight(
            " ｜ ".join(filter(None, [line.object, line.parameter, line.standard])),
            " ".join(t.split(":", 1)[1] for t in weights if not t.startswith("s:")),
        )
        for _, line in scored[:3]
    ]
    return Candidate(organisation, round(score, 1), reasons, marked)


SHORTLIST = 8  # institutions the draft recommendation keeps


def refresh_recommendation(demand: Demand, *, at: dt.datetime | None = None) -> Recommendation:
    """Recompute the draft shortlist; staff additions and exclusions survive."""
    at = at or timezone.now()
    recommendation, _ = Recommendation.objects.get_or_create(
        demand=demand, defaults={"computed_at": at}
    )
    kept = {item.organisation_id: item for item in recommendation.items.all()}
    candidates = recommend(
        demand.text(), category=demand.category, region=demand.region, limit=SHORTLIST
    )
    rank = 0
    for rank, candidate in enumerate(candidates, 1):
        item = kept.pop(candidate.organisation.pk, None)
        if item is None:
            RecommendedInstitution.objects.create(
                recommendation=recommendation,
                organisation=candidate.organisation,
                rank=rank,
                score=candidate.score,
                reasons=candidate.reasons,
            )
        else:
            item.rank, item.score, item.reasons = rank, candidate.score, candidate.reasons
            item.save(update_fields=["rank", "score", "reasons"])
    for item in kept.values():  # no longer found by the engine
        if item.added_by_staff:
            rank += 1
            item.rank = rank
            item.save(update_fields=["rank"])
        else:
            item.delete()
    recommendation.computed_at = at
    recommendation.save(update_fields=["computed_at"])
    return recommendation
