"""The search page's three tabs (MATCH-1): institutions (the engine of `search.py`), the
services institutions publish, and the catalogue's service guides — all read with the same
query understanding (`query.parse`), and the institution hits dressed for the page: the
qualification behind each shown line, the action (下单 or 发布需求), sorting."""

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.db.models import Q, QuerySet, prefetch_related_objects

from qihub.catalog.models import GuideVersion, ServiceItem
from qihub.institutions.models import InstitutionService, Qualification, ScopeLine
from qihub.institutions.query import Parsed
from qihub.institutions.search import Hit
from qihub.institutions.tokens import normalise
from qihub.institutions.workflow import listed_institutions

TABS = {"institutions": "机构", "services": "服务项目", "guides": "服务指南"}
SORTS = {"relevance": "相关度", "name": "机构名称", "expiry": "资质有效期"}
PER_PAGE = 20
ASKED = 100  # institution hits asked of the engine; sorted and paged here


def terms_of(parsed: Parsed | None, query: str) -> list[tuple[str, ...]]:
    """What a service or a guide must contain: every parsed word, each as any of its
    alternatives (synonyms). A query with no words of its own (only a verb, 检定) is matched as
    typed, without the place it names."""
    if parsed is not None and parsed.words:
        return [tuple(a for a in word.alternatives if a) for word in parsed.words]
    text = normalise(query)
    if parsed is not None and parsed.region_text:
        text = text.replace(normalise(parsed.region_text), " ")
    text = re.sub(r"\s+", "", text)
    return [(text,)] if text else []


def _all_words(fields: list[str], terms: list[tuple[str, ...]]) -> Q:
    # icontains per word over a few columns: the published services and the catalogue are small
    # tables (hundreds, tens of rows), so a scan is cheaper than indexing them like the scope.
    return reduce(
        and_,
        (
            reduce(or_, (Q(**{f"{name}__icontains": alt}) for name in fields for alt in alts))
            for alts in terms
        ),
    )


def services(
    terms: list[tuple[str, ...]],
    *,
    category: str = "",
    region: str = "",
    qualification: str = "",
    today: dt.date,
) -> QuerySet[InstitutionService]:
    """Published services of listed institutions whose name or description has every word;
    `region` is a division-code prefix (3202 for 无锡市)."""
    if not terms:
        return InstitutionService.objects.none()
    found = InstitutionService.objects.filter(
        _all_words(["name", "description"], terms),
        published=True,
        organisation__in=listed_institutions(today),
    )
    if category:
        found = found.filter(category=category)
    if region:
        found = found.filter(organisation__region__startswith=region)
    if qualification:
        found = found.filter(
            organisation__in=Qualification.objects.filter(
                type=qualification, valid_until__gte=today, withdrawn_at__isnull=True
            ).values("organisation")
        )
    return found.select_related("organisation").order_by("organisation__name", "name", "pk")


GUIDE_TEXT = ["acceptance_conditions", "materials", "process", "time_limit", "fee", "legal_basis"]


@dataclass
class GuideHit:
    item: ServiceItem
    guide: GuideVersion | None
    in_guide: list[str] = field(default_factory=list)  # guide sections that carry a word


def guides(terms: list[tuple[str, ...]], *, category: str = "") -> list[GuideHit]:
    """Catalogue items whose name, summary or current guide has every word. The catalogue has a
    few dozen items, so they are read whole and matched here (only the current version counts)."""
    if not terms:
        return []
    items = ServiceItem.objects.prefetch_related("guides")
    if category:
        items = items.filter(category=category)
    hits = []
    for item in items:
        versions = sorted(item.guides.all(), key=lambda g: -g.version)
        guide = versions[0] if versions else None
        sections = {"name": item.name, "summary": item.summary}
        if guide is not None:
            sections |= {name: getattr(guide, name) for name in GUIDE_TEXT}
        text = normalise(" ".join(sections.values()))
        if all(any(alt in text for alt in alts) for alts in terms):
            shown = [
                str(getattr(GuideVersion._meta.get_field(name), "verbose_name", name))
                for name in GUIDE_TEXT
                if guide is not None
                and any(alt in normalise(getattr(guide, name)) for alts in terms for alt in alts)
            ]
            hits.append(GuideHit(item, guide, shown))
    return hits


@dataclass
class ShownLine:
    highlighted: str
    line: ScopeLine | None
    qualification: Qualification | None


@dataclass
class Row:
    """One institution as the results page shows it."""

    hit: Hit
    lines: list[ShownLine]
    service: InstitutionService | None  # what 下单 orders; None: 发布需求 instead
    latest_expiry: dt.date | None


def rows(hits: list[Hit], *, category: str, today: dt.date) -> list[Row]:
    """The page's rows: each shown line with the qualification it stands under, and the
    institution's first published service in a category of its matched lines (or of the
    category filter, for hits without lines) for the 下单 button."""
    prefetch_related_objects([hit.organisation for hit in hits], "qualifications")
    published: dict[int, list[InstitutionService]] = {}
    for offer in InstitutionService.objects.filter(
        published=True, organisation__in=[hit.organisation.pk for hit in hits]
    ).order_by("pk"):
        published.setdefault(offer.organisation_id, []).append(offer)
    made = []
    for hit in hits:
        lines = [
            ShownLine(text, line, line.qualification)
            for text, line in zip(hit.highlighted, hit.lines, strict=False)
        ]
        wanted = [shown.line.category for shown in lines if shown.line] or (
            [category] if category else []
        )
        offered = published.get(hit.organisation.pk, [])
        service = next(
            (s for c in wanted for s in offered if s.category == c),
            None,
        )
        made.append(Row(hit, lines, service, _latest_expiry(hit, lines, today)))
    return made


def _latest_expiry(hit: Hit, lines: list[ShownLine], today: dt.date) -> dt.date | None:
    days = [s.qualification.valid_until for s in lines if s.qualification is not None]
    if not days:
        days = [q.valid_until for q in hit.organisation.qualifications.all() if q.valid_on(today)]
    return max(days, default=None)


def sort(made: list[Row], how: str) -> list[Row]:
    """Scope matches first, then the institutions found by name only, each group in the asked
    order; relevance is the engine's own order."""
    if how == "name":
        made = sorted(made, key=lambda r: r.hit.organisation.name)
    elif how == "expiry":
        made = sorted(made, key=lambda r: r.latest_expiry or dt.date.min, reverse=True)
    return sorted(made, key=lambda r: r.hit.by_name)  # stable: keeps the order within a group
