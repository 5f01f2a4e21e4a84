"""Institution search (MATCH-1, MATCH-3): an inverted index of terms, the same SQL on both
engines, answered from the `search_term_org` index rather than by scanning text."""

import datetime as dt
import html
import logging
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Sum

from qihub.accounts.models import Organisation
from qihub.institutions.models import ScopeLine, SearchTerm
from qihub.institutions.tokens import document_terms, normalise, query_terms
from qihub.institutions.workflow import listed_institutions

logger = logging.getLogger("qihub.search")
NAME, SCOPE, OTHER = 100, 10, 1


@transaction.atomic
def reindex(organisation: Organisation) -> None:
    SearchTerm.objects.filter(organisation=organisation).delete()
    rows = [
        SearchTerm(term=t, organisation=organisation, weight=NAME)
        for t in document_terms(organisation.name)
    ]
    other = " ".join([organisation.address] + [q.scope for q in organisation.qualifications.all()])
    rows += [
        SearchTerm(term=t, organisation=organisation, weight=OTHER) for t in document_terms(other)
    ]
    for line in organisation.scope_lines.all():
        text = " ".join([line.object, line.parameter, line.standard, line.limits])
        rows += [SearchTerm(term=t, organisation=organisation, scope_line=line, weight=SCOPE)
                 for t in document_terms(text)]  # fmt: skip
    SearchTerm.objects.bulk_create(rows, batch_size=2000)


@dataclass
class Hit:
    organisation: Organisation
    score: int
    scope_lines: list[ScopeLine] = field(default_factory=list)
    highlighted: list[str] = field(default_factory=list)


def highlight(text: str, query: str) -> str:
    escaped = html.escape(text)
    for word in sorted({w for w in re.split(r"\s+", normalise(query)) if w}, key=len, reverse=True):
        escaped = re.sub(re.escape(html.escape(word)), lambda m: f"<mark>{m.group(0)}</mark>", escaped,
                         flags=re.IGNORECASE)  # fmt: skip
    return escaped


def search(
    query: str, *, category: str = "", region: str = "", qualification: str = "", limit: int = 20,
    today: dt.date | None = None,
) -> list[Hit]:  # fmt: skip
    terms = query_terms(query)
    candidates = listed_institutions(today)
    if region:
        candidates = candidates.filter(region__startswith=region)
    if qualification:
        candidates = candidates.filter(
            qualifications__type=qualification,
            qualifications__valid_until__gte=today or dt.date.today(),
        )
    if category:
        candidates = candidates.filter(scope_lines__category=category)
    if not terms:
        return (
            [Hit(org, 0) for org in candidates.order_by("name")[:limit]]
            if (category or region or qualification)
            else []
        )
    # Documents that carry every query term, in the name or a scope line (MATCH-3: the scope covers it).
    matched = (
        SearchTerm.objects.filter(
            term__in=terms, weight__gte=SCOPE, organisation__in=candidates.values("pk")
        )
        .values("organisation")
        .annotate(found=Count("term", distinct=True), score=Sum("weight"))
        .filter(found=len(terms))
        .order_by("-score", "organisation")[:limit]
    )
    scores = {row["organisation"]: row["score"] for row in matched}
    if not scores:
        logger.info("search with no result: %r (category=%s region=%s qualification=%s)",
                    query, category, region, qualification)  # fmt: skip
        return []
    organisations = {
        o.pk: o
        for o in Organisation.objects.filter(pk__in=scores).prefetch_related("qualifications")
    }
    lines = (
        SearchTerm.objects.filter(term__in=terms, organisation__in=scores, scope_line__isnull=False)
        .values("scope_line")
        .annotate(found=Count("term", distinct=True))
        .filter(found=len(terms))
    )
    by_org: dict[int, list[ScopeLine]] = {}
    for line in ScopeLine.objects.filter(pk__in=[row["scope_line"] for row in lines]).order_by(
        "id"
    ):
        by_org.setdefault(line.organisation_id, []).append(line)
    hits = []
    for pk, score in sorted(
        scores.items(), key=lambda item: (-item[1], organisations[item[0]].name)
    ):
        found = by_org.get(pk, [])
        hits.append(
            Hit(
                organisations[pk],
                score,
                found,
                [
                    highlight(
                        " ｜ ".join(filter(None, [line.object, line.parameter, line.standard])),
                        query,
                    )
                    for line in found
                ],
            )
        )
    return hits


def qualification_types(organisation: Organisation, today: dt.date) -> list[str]:
    return sorted({q.type for q in organisation.qualifications.all() if q.valid_until >= today})
