"""Institution search (MATCH-1, MATCH-3): an inverted index of terms, the same SQL on both
engines, answered from the `search_term_org` index rather than by scanning text."""

import datetime as dt
import hashlib
import html
import logging
import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Max, Min, QuerySet, Sum
from django.utils import timezone

from qihub.accounts.models import Organisation
from qihub.catalog.models import Category
from qihub.institutions.models import (
    Qualification,
    QualificationType,
    ScopeLine,
    SearchMiss,
    SearchTerm,
)
from qihub.institutions.tokens import document_terms, normalise, query_terms
from qihub.institutions.workflow import listed_institutions
from qihub.workcal.calendar import TZ

logger = logging.getLogger("qihub.search")
NAME, SCOPE, OTHER = 100, 10, 1


CATEGORY_BITS = {code: 1 << i for i, code in enumerate(Category.values)}
QUALIFICATION_BITS = {code: 1 << i for i, code in enumerate(QualificationType.values)}


def _region_range(prefix: str) -> tuple[str, str]:
    """A division-code prefix as a half-open string range, so the index answers it (no LIKE)."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


Posting = tuple[str, int, int, str, int, int, dt.date]


def _postings(organisation: Organisation, listed_until: dt.date, today: dt.date) -> list[Posting]:
    weights: dict[str, int] = {}
    for term in document_terms(organisation.name):
        weights[term] = NAME
    lines: dict[str, int] = {}
    categories = 0
    for line in organisation.scope_lines.all():
        categories |= CATEGORY_BITS.get(line.category, 0)
        for term in document_terms(_line_text(line)):
            lines[term] = lines.get(term, 0) + 1
    for term, count in lines.items():
        weights[term] = weights.get(term, 0) + SCOPE + min(count - 1, 9)
    other = " ".join([organisation.address] + [q.scope for q in organisation.qualifications.all()])
    for term in document_terms(other):
        weights.setdefault(term, OTHER)
    held = 0
    for qualification in organisation.qualifications.all():
        if qualification.valid_until >= today:
            held |= QUALIFICATION_BITS.get(qualification.type, 0)
    return [
        (term, organisation.pk, weight, organisation.region, categories, held, listed_until)
        for term, weight in weights.items()
    ]


def _line_text(line: ScopeLine) -> str:
    return " ".join([line.object, line.parameter, line.standard, line.limits])


@transaction.atomic
def reindex(organisation: Organisation) -> None:
    """Rebuild one institution's postings; an institution that may not be offered has none."""
    reindex_many([organisation.pk])


def reindex_many(organisation_ids: list[int]) -> int:
    """Rebuild the postings of these institutions; returns how many postings were written.
    Rows go in through the cursor: model instances would cost more than the tokenising."""
    today = dt.datetime.now(TZ).date()
    table = SearchTerm._meta.db_table
    insert = f"INSERT INTO {table} ({COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s)"  # noqa: S608  # the table name is the model's own
    written = 0
    for start in range(0, len(organisation_ids), 500):
        chunk = organisation_ids[start : start + 500]
        with transaction.atomic():
            SearchTerm.objects.filter(organisation__in=chunk).delete()
            listed = dict(
                listed_institutions(today)
                .filter(pk__in=chunk)
                .annotate(last_valid=Max("qualifications__valid_until"))
                .values_list("pk", "last_valid")
            )
            rows: list[Posting] = []
            for organisation in Organisation.objects.filter(pk__in=listed).prefetch_related(
                "scope_lines", "qualifications"
            ):
                rows += _postings(organisation, listed[organisation.pk], today)
            _write(insert, rows)
            written += len(rows)
    return written


SHOWN_LINES = 5  # matched scope lines shown per institution; the profile has them all


COLUMNS = "term, organisation_id, weight, region, categories, qualification_types, listed_until"


def _write(insert: str, rows: list[Posting]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is an order of magnitude faster than INSERTs on PostgreSQL.
            table = SearchTerm._meta.db_table
            with cursor.cursor.copy(f"COPY {table} ({COLUMNS}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(insert, rows)


@dataclass
class Hit:
    organisation: Organisation
    score: int
    highlighted: list[str] = field(default_factory=list)
    matched_lines: int = 0


def highlight(text: str, query: str) -> str:
    escaped = html.escape(text)
    for word in sorted({w for w in re.split(r"\s+", normalise(query)) if w}, key=len, reverse=True):
        escaped = re.sub(
            re.escape(html.escape(word)),
            lambda m: f"<mark>{m.group(0)}</mark>",
            escaped,
            flags=re.IGNORECASE,
        )
    return escaped


def search(
    query: str,
    *,
    category: str = "",
    region: str = "",
    qualification: str = "",
    limit: int = 20,
    today: dt.date | None = None,
) -> list[Hit]:
    today = today or dt.datetime.now(TZ).date()
    terms = query_terms(query)
    index_terms = query_terms(query, covering=True)
    if not terms:
        return _browse(
            category=category, region=region, qualification=qualification, limit=limit, today=today
        )
    # Name or scope must carry every term (MATCH-3: the scope, or the institution itself, covers
    # the query); expired qualifications drop out by date without waiting for a re-index.
    postings = SearchTerm.objects.filter(listed_until__gte=today)
    if region:
        low, high = _region_range(region)
        postings = postings.filter(region__gte=low, region__lt=high)
    if category:
        postings = postings.annotate(in_category=F("categories").bitand(CATEGORY_BITS[category]))
        postings = postings.filter(in_category__gt=0)
    if qualification:
        postings = postings.annotate(
            holds=F("qualification_types").bitand(QUALIFICATION_BITS[qualification])
        ).filter(holds__gt=0)
    rankings = _rankings(postings, index_terms)
    scores, organisations = _verified(rankings, limit, today, qualification)
    if not scores:
        record_miss(query, category=category, region=region, qualification=qualification)
        return []
    found: dict[int, list[str]] = {}
    matched: dict[int, int] = {}
    needles = _needles(terms)
    # Chinese characters and pairs are exact substrings of the normalised text; standard
    # numbers and ASCII words need the tokeniser, after a substring test has ruled most out.
    chinese = [t[2:] for t in terms if t[0] in "cb"]
    tokenised = {t for t in terms if t[0] not in "cb"}
    lines = ScopeLine.objects.filter(organisation__in=scores).order_by("id")
    for organisation_id, object_, parameter, standard, limits in lines.values_list(
        "organisation", "object", "parameter", "standard", "limits"
    ):
        text = " ".join([object_, parameter, standard, limits])
        plain = normalise(text)
        if not all(c in plain for c in chinese):
            continue
        if tokenised:
            compact = _compact(text)
            if not all(n in compact for n in needles) or not tokenised <= document_terms(text):
                continue
        matched[organisation_id] = matched.get(organisation_id, 0) + 1
        if matched[organisation_id] <= SHOWN_LINES:
            shown = " ｜ ".join(filter(None, [object_, parameter, standard]))
            found.setdefault(organisation_id, []).append(highlight(shown, query))
    hits = [
        Hit(
            organisation,
            scores[organisation.pk],
            found.get(organisation.pk, []),
            matched.get(organisation.pk, 0),
        )
        for organisation in organisations
    ]
    hits.sort(key=lambda hit: (-hit.score, hit.organisation.name))
    return hits


MAX_CANDIDATES = 300


def _rankings(postings: QuerySet[SearchTerm], terms: set[str]) -> list:
    """Ranked (institution, score) querysets whose union is the answer.

    One term: its postings in weight order, straight from the index. Several: the institutions
    carrying the rarest term (at most MAX_CANDIDATES, by weight) are probed for the others on
    the unique (term, institution) index. When even the rarest term is that common, the
    institutions with a term in their name are ranked too: every result matches the whole query
    and only the order among thousands of scope-only matches is approximate (ADR 0006)."""
    scoped = postings.filter(weight__gte=SCOPE)
    if len(terms) == 1:
        return [
            scoped.filter(term__in=terms)
            .order_by("-weight", "organisation")
            .values_list("organisation", "weight")
        ]
    today = dt.datetime.now(TZ).date()
    offered = SearchTerm.objects.filter(weight__gte=SCOPE, listed_until__gte=today)
    counts = carrier_counts(terms, offered, MAX_CANDIDATES + 1, "carriers")
    driver = min(counts, key=lambda term: (counts[term], term))
    carriers = scoped.filter(term=driver).order_by("-weight", "organisation")
    # A subquery, not a list of ids: both planners then probe (organisation, term) per carrier.
    candidate_sets = [carriers.values("organisation")[:MAX_CANDIDATES]]
    if carriers[: MAX_CANDIDATES + 1].count() > MAX_CANDIDATES:
        named = postings.filter(term__in=terms, weight__gte=NAME).values("organisation")
        candidate_sets.append(named[:MAX_CANDIDATES])
    # Filters are properties of the institution and were applied to the candidates already.
    return [
        SearchTerm.objects.filter(term__in=terms, organisation__in=candidates)
        .values("organisation")
        .annotate(found=Count("*"), score=Sum("weight"), lowest=Min("weight"))
        .filter(found=len(terms), lowest__gte=SCOPE)
        .order_by("-score", "organisation")
        .values_list("organisation", "score")
        for candidates in candidate_sets
    ]


def carrier_counts(
    terms: set[str], postings: QuerySet[SearchTerm], cap: int, name: str
) -> dict[str, int]:
    """How many institutions of `postings` carry each term, counted up to `cap`. Rarity changes
    slowly, so counts are cached for some minutes under `name`; zero is never kept, so a newly
    listed institution is found at once. Used to rank terms, never to decide a match."""
    keys = {f"qihub:{name}:" + hashlib.sha1(t.encode()).hexdigest(): t for t in terms}  # noqa: S324
    found = {keys[k]: v for k, v in cache.get_many(list(keys)).items()}
    fresh = {term: postings.filter(term=term)[:cap].count() for term in terms - set(found)}
    by_term = {t: k for k, t in keys.items()}
    cache.set_many({by_term[t]: n for t, n in fresh.items() if n}, timeout=CARRIER_CACHE_SECONDS)
    return found | fresh


CARRIER_CACHE_SECONDS = 600


def _compact(text: str) -> str:
    return re.sub(r"[\s/]+", "", normalise(text))


def _needles(terms: set[str]) -> list[str]:
    """A substring every line carrying the term must contain (after `_compact`)."""
    needles = []
    for term in terms:
        kind, _, value = term.partition(":")
        if kind == "s":
            needles.append(re.sub(r"^[a-z]+t?|-\d{4}$", "", value) or value)
        else:
            needles.append(value)
    return needles


def _verified(
    rankings: list, limit: int, today: dt.date, qualification: str
) -> tuple[dict[int, int], list[Organisation]]:
    """The top `limit` of the merged rankings that the live records confirm as offerable (a
    posting can be stale for a moment after a deregistration or an expiry), with the records."""
    wanted = limit + 10
    while True:
        merged: dict[int, int] = {}
        exhausted = True
        for ranked in rankings:
            rows = list(ranked[:wanted])
            exhausted &= len(rows) < wanted
            for pk, score in rows:
                merged[pk] = max(score, merged.get(pk, 0))
        order = sorted(merged, key=lambda pk: (-merged[pk], pk))
        live_records = listed_institutions(today).filter(pk__in=order)
        if qualification:
            holders = Qualification.objects.filter(
                organisation__in=order, type=qualification, valid_until__gte=today
            ).values("organisation")
            live_records = live_records.filter(pk__in=holders)
        live = {org.pk: org for org in live_records.prefetch_related("qualifications")}
        scores = {pk: merged[pk] for pk in order if pk in live}
        if len(scores) >= limit or exhausted:
            scores = dict(list(scores.items())[:limit])
            return scores, [live[pk] for pk in scores]
        wanted *= 4


def _browse(
    *, category: str, region: str, qualification: str, limit: int, today: dt.date
) -> list[Hit]:
    """Filters without a keyword: the offered institutions in name order."""
    if not (category or region or qualification):
        return []
    candidates = listed_institutions(today)
    if region:
        low, high = _region_range(region)
        candidates = candidates.filter(region__gte=low, region__lt=high)
    if qualification:
        candidates = candidates.filter(
            pk__in=Qualification.objects.filter(type=qualification, valid_until__gte=today).values(
                "organisation"
            )
        )
    if category:
        candidates = candidates.filter(
            pk__in=ScopeLine.objects.filter(category=category).values("organisation")
        )
    return [Hit(org, 0) for org in candidates.order_by("name")[:limit]]


def record_miss(query: str, *, category: str, region: str, qualification: str) -> None:
    """Count the query for the staff page of searches that found nothing."""
    logger.info(
        "search with no result: %r (category=%s region=%s qualification=%s)",
        query,
        category,
        region,
        qualification,
    )
    filters = " ".join(
        f"{k}={v}"
        for k, v in (("category", category), ("region", region), ("qualification", qualification))
        if v
    )
    now = timezone.now()
    key = {"query": query.strip()[:100], "filters": filters[:100]}
    if not SearchMiss.objects.filter(**key).update(count=F("count") + 1, last_at=now):
        try:
            with transaction.atomic():
                SearchMiss.objects.create(**key, first_at=now, last_at=now)
        except IntegrityError:  # another request counted the same query first
            SearchMiss.objects.filter(**key).update(count=F("count") + 1, last_at=now)


def qualification_types(organisation: Organisation, today: dt.date) -> list[str]:
    return sorted({q.type for q in organisation.qualifications.all() if q.valid_until >= today})
