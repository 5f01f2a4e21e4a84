"""Institution search (MATCH-1, MATCH-3): an inverted index of terms, the same SQL on both
engines, answered from the `search_term_rank` index rather than by scanning text.

The query is understood first (`query.parse`: jieba words, synonyms, verb, standards, region);
the index finds the institutions carrying the rarest word, and their scope lines are checked:
a hit has one line, offered today under a valid qualification and of the asked service, that
carries every word (in any order) — ADR 0006, ADR 0011."""

import datetime as dt
import html
import logging
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from qihub.accounts.models import Organisation
from qihub.core import regions
from qihub.institutions.index import (
    CATEGORY_BITS,
    QUALIFICATION_BITS,
    SCOPE,
    carrier_counts,
    institution_count,
)
from qihub.institutions.lines import Line, asked_service, compact, heads, line_covers, read_lines
from qihub.institutions.models import (
    Qualification,
    ScopeLine,
    SearchMiss,
    SearchTerm,
)
from qihub.institutions.query import (
    Parsed,
    Word,
    corrections,
    parse,
    shorter,
)
from qihub.institutions.tokens import normalise, query_terms
from qihub.institutions.words import GENERIC
from qihub.institutions.workflow import listed_institutions
from qihub.workcal.calendar import TZ

logger = logging.getLogger("qihub.search")


def _region_range(prefix: str) -> tuple[str, str]:
    """A division-code prefix as a half-open string range, so the index answers it (no LIKE)."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


SHOWN_LINES = 5  # matched scope lines shown per institution; the profile has them all


@dataclass
class Hit:
    organisation: Organisation
    score: int
    highlighted: list[str] = field(default_factory=list)
    matched_lines: int = 0
    by_name: bool = False  # found by its name only: no offered scope line covers the query
    weak: bool = False  # its lines carry an object word only inside another object (电能表箱)
    implied: bool = False  # calibration asked, only verification lines offered (they imply it)
    lines: list[ScopeLine] = field(default_factory=list)  # the matched lines shown


class Results(list[Hit]):
    """The hits, with what the engine made of the query and what it did about it."""

    def __init__(self, hits: Iterable[Hit] = (), parsed: Parsed | None = None) -> None:
        super().__init__(hits)
        self.parsed = parsed
        self.region = ""  # the region prefix the hits were found in
        self.asked_region = ""  # the region asked for, by filter or in the text
        self.ignored: list[str] = []  # words left out to find anything
        self.suggestions: list[str] = []
        self.corrections: list[tuple[str, str]] = []  # (suggested word, the query with it)
        self.relaxed: list[str] = []  # shorter words searched instead
        self.missed = False  # counted as a search with no result (`record_miss`)

    @property
    def widened(self) -> bool:
        return bool(self.asked_region) and self.region != regions.prefix(self.asked_region)

    def notes(self) -> list[str]:
        """What the results page says about how the query was understood."""
        said = []
        if self.parsed and self.parsed.region_text and self.asked_region:
            said.append(f"已按地区“{regions.full_name(self.asked_region)}”查找")
        if self.widened and self:
            where = regions.full_name(self.region) if self.region else "全部地区"
            said.append(
                f"{regions.full_name(self.asked_region)}暂无符合条件的机构，已扩大到{where}"
            )
        if self.ignored and self.relaxed:
            said.append(
                "未找到完全符合的机构，已将“"
                + "、".join(self.ignored)
                + "”放宽为“"
                + "、".join(self.relaxed)
                + "”"
            )
        elif self.ignored:
            said.append("未找到同时包含全部词语的机构，已忽略：" + "、".join(self.ignored))
        return said


def highlight(text: str, words: Iterable[str]) -> str:
    escaped = html.escape(text)
    for word in sorted({normalise(w).strip() for w in words if w.strip()}, key=len, reverse=True):
        escaped = re.sub(
            re.escape(html.escape(word)),
            lambda m: f"<mark>{m.group(0)}</mark>",
            escaped,
            flags=re.IGNORECASE,
        )
    # A word inside a longer marked one is marked twice; keep the outer mark only.
    return re.sub(r"<mark>((?:(?!</?mark>).)*)<mark>(.*?)</mark>", r"<mark>\1\2", escaped)


def search(
    query: str,
    *,
    category: str = "",
    region: str = "",
    qualification: str = "",
    limit: int = 20,
    today: dt.date | None = None,
) -> Results:
    """Institutions whose offered scope covers every word of the query (in one line, in any
    order), ranked by weighted coverage; then, below them, institutions named so. A region
    named in the text filters like the region filter; when it has nobody, the search widens to
    the city, then the province, and says so."""
    today = today or dt.datetime.now(TZ).date()
    parsed = parse(query)
    if parsed.empty and parsed.region_text and not parsed.region_text.isdigit():
        # Only a place name: an institution named after it (锡山 → 锡山区计量测试所) comes
        # before browsing the place.
        named = _match(
            Parsed([Word(parsed.region_text, (parsed.region_text,))]),
            regions.prefix(region) if region else "",
            category,
            qualification,
            limit,
            today,
        )
        if named:
            return Results(named, parsed)
    asked = region or parsed.region
    results = Results([], parsed)
    results.asked_region = asked
    if parsed.empty:
        if asked or category or qualification:
            results += _browse(
                category=category,
                region=regions.prefix(asked) if asked else "",
                qualification=qualification,
                limit=limit,
                today=today,
            )
            results.region = regions.prefix(asked) if asked else ""
        if not results and query.strip():
            record_miss(query, category=category, region=region, qualification=qualification)
            results.missed = True
            _suggest(results, query)
        return results
    chain = regions.widen(asked) if asked else [""]
    attempts = [parsed]
    for relaxed in (_relaxed(parsed), _headed(parsed)):
        if relaxed is not None:
            attempts.append(relaxed)
    fallback: tuple[list[Hit], str, Parsed] | None = None
    for attempt in attempts:
        for prefix in chain:
            hits = _match(attempt, prefix, category, qualification, limit, today)
            if hits and all(hit.by_name or hit.weak for hit in hits):
                # A name, or an object that only contains the word (化妆品包装 for 化妆品),
                # says little of capability: look wider for real lines before settling.
                fallback = fallback or (hits, prefix, attempt)
                continue
            if hits:
                return _found(results, hits, prefix, parsed, attempt, query)
    if fallback:
        return _found(results, fallback[0], fallback[1], parsed, fallback[2], query)
    record_miss(query, category=category, region=region, qualification=qualification)
    results.missed = True
    _suggest(results, query)
    return results


def _found(
    results: Results, hits: list[Hit], prefix: str, parsed: Parsed, attempt: Parsed, query: str
) -> Results:
    results += hits
    results.region = prefix
    if attempt is not parsed:
        typed = {w.text for w in parsed.words}
        kept = {w.text for w in attempt.words}
        results.ignored = [w for w in typed if w not in kept]
        results.relaxed = [w for w in kept if w not in typed]
    if any(not w.kind for w in parsed.words):
        _suggest(results, query)  # 血压汁 finds 血压…; 血压计 was meant
    return results


def _headed(parsed: Parsed) -> Parsed | None:
    """The query with each long word cut to the head the vocabulary knows (医用外科口罩 →
    口罩), when the words as typed found nothing."""
    words = [shorter(w) or w for w in parsed.words]
    if all(a is b for a, b in zip(words, parsed.words, strict=True)):
        return None
    return Parsed(words, parsed.verbs, parsed.standards, parsed.region, parsed.region_text)


def _suggest(results: Results, query: str) -> None:
    typed = compact(query)
    results.corrections = [(w, q) for w, q in corrections(query) if compact(w) not in typed]
    results.suggestions = [w for w, _ in results.corrections]


def _relaxed(parsed: Parsed) -> Parsed | None:
    """The query with only the words the scope vocabulary knows, for prose typed into the box:
    "体温计 医院" finds the thermometer institutions when no line mentions hospitals."""
    known = [w for w in parsed.words if w.kind and w.text not in GENERIC]
    if len(known) == len(parsed.words) or not (known or parsed.standards):
        return None
    return Parsed(known, parsed.verbs, parsed.standards, parsed.region, parsed.region_text)


MAX_CANDIDATES = 300


def _word_terms(word: str) -> set[str]:
    return query_terms(word, covering=True)


def _match(
    parsed: Parsed, prefix: str, category: str, qualification: str, limit: int, today: dt.date
) -> list[Hit]:
    candidates, idf = candidates_for(parsed, prefix, today, category, qualification)
    if not candidates:
        return []
    return _ranked(parsed, candidates, idf, limit, today, qualification)


def candidates_for(
    parsed: Parsed,
    prefix: str,
    today: dt.date,
    category: str = "",
    qualification: str = "",
    *,
    require_all: bool = True,
) -> tuple[list[int], dict[str, float]]:
    """Institutions that may cover the parsed query, from the index alone, and the idf of each
    word. Each unit (a word with its synonyms, a standard, the verb) must be carried; the
    rarest unit's carriers are the candidates, probed in SQL for the terms every one needs."""
    postings = SearchTerm.objects.filter(listed_until__gte=today)
    if prefix:
        low, high = _region_range(prefix)
        postings = postings.filter(region__gte=low, region__lt=high)
    if category:
        postings = postings.annotate(in_category=F("categories").bitand(CATEGORY_BITS[category]))
        postings = postings.filter(in_category__gt=0)
    if qualification:
        postings = postings.annotate(
            holds=F("qualification_types").bitand(QUALIFICATION_BITS[qualification])
        ).filter(holds__gt=0)
    words = {word.text: [_word_terms(a) for a in word.alternatives] for word in parsed.words}
    units = [[terms for terms in unit if terms] for unit in words.values()]
    units += [[{standard}] for standard in parsed.standards]
    if parsed.verbs:
        units.append([{f"v:{verb}"} for verb in parsed.verbs])
    units = [unit for unit in units if unit]
    if not units:
        return [], {}
    offered = SearchTerm.objects.filter(weight__gte=SCOPE, listed_until__gte=today)
    everything = {term for unit in units for terms in unit for term in terms}
    counts = carrier_counts(everything, offered, MAX_CANDIDATES + 1, "carriers")

    def rarest(terms: set[str]) -> str:
        return min(terms, key=lambda term: (counts[term], term))

    def size(unit: list[set[str]]) -> int:
        return sum(counts[rarest(terms)] for terms in unit if terms)

    total = institution_count()
    idf = {text: math.log(1 + total / max(1, size(unit))) for text, unit in words.items()}
    driver = min(units, key=size)
    scoped = postings.filter(weight__gte=SCOPE)
    candidates: dict[int, None] = {}  # in the order of the driver's weight
    # A broader word's alternatives (食品: 大米, 饮料 …) share the candidates between them.
    share = max(CHUNK, MAX_CANDIDATES // len(driver))
    for terms in driver:
        carriers = scoped.filter(term=rarest(terms)).order_by("-weight", "organisation")
        candidates.update(dict.fromkeys(carriers.values_list("organisation", flat=True)[:share]))
    required = {term for unit in units if len(unit) == 1 for term in unit[0]}
    if require_all and required and candidates:
        # One probe per term by the (organisation, term) pair, rarest first, each on the
        # candidates still left. One probe for all the terms at once let PostgreSQL intersect
        # bitmaps of every posting of each common pair (电线, 电阻: 40,000 rows, 30 ms).
        carrying = set(candidates)
        for term in sorted(required, key=lambda term: (counts.get(term, 0), term)):
            carrying &= set(
                SearchTerm.objects.filter(
                    term=term,
                    organisation__in=sorted(carrying),
                    listed_until__gte=today,
                    weight__gte=SCOPE,
                ).values_list("organisation", flat=True)
            )
            if not carrying:
                break
        candidates = {pk: None for pk in candidates if pk in carrying}
    return list(candidates), idf


CHUNK = 40  # candidates whose lines are read at a time, best first
WEAK_READ = 50  # candidates read before weak hits may fill the list


def _ranked(
    parsed: Parsed,
    candidates: list[int],
    idf: dict[str, float],
    limit: int,
    today: dt.date,
    qualification: str,
) -> list[Hit]:
    """Check the candidates' lines, best candidates first, until enough are confirmed."""
    hits: list[Hit] = []
    words = [w.text for w in parsed.words] + [a for w in parsed.words for a in w.alternatives]
    strong = 0
    step = min(CHUNK, limit + 5)
    for start in range(0, len(candidates), step):
        chunk = candidates[start : start + step]
        lines_by_org = read_lines(chunk)
        live = listed_institutions(today).filter(pk__in=chunk)
        if qualification:
            holders = Qualification.objects.filter(
                organisation__in=chunk,
                type=qualification,
                valid_until__gte=today,
                withdrawn_at__isnull=True,
            ).values("organisation")
            live = live.filter(pk__in=holders)
        found: list[tuple[Organisation, list[Line], list[Line]]] = []
        named: list[Organisation] = []
        for organisation in live:
            matched = [
                line
                for line in lines_by_org.get(organisation.pk, [])
                if line_covers(line, parsed, today)
            ]
            if matched:
                headed = [line for line in matched if heads(line, parsed.words)]
                found.append((organisation, matched, headed))
            elif not (parsed.verbs or parsed.standards) and _named(organisation.name, parsed):
                named.append(organisation)
        shown_ids = [
            line.pk
            for _, matched, headed in found
            for line in (headed + [x for x in matched if x not in headed])[:SHOWN_LINES]
        ]
        models = ScopeLine.objects.select_related("qualification").in_bulk(shown_ids)
        for organisation, matched, headed in found:
            shown = (headed + [x for x in matched if x not in headed])[:SHOWN_LINES]
            score = _score(parsed, headed or matched, idf)
            hits.append(
                Hit(
                    organisation,
                    int(score * 100),
                    [highlight(_shown(line), words) for line in shown],
                    len(matched),
                    lines=[models[line.pk] for line in shown],
                    weak=not headed,
                )
            )
            hits[-1].implied = not any(asked_service(line, parsed) for line in matched)
            strong += bool(headed)
        hits += [Hit(org, int(sum(idf.values()) * 10), by_name=True) for org in named]
        # Enough lines that are about the word, or enough of any kind after a few chunks: a
        # common fragment (压力 inside 压力表) would otherwise have every candidate read.
        if strong >= limit or (len(hits) >= limit and start + step >= WEAK_READ):
            break
    hits.sort(
        key=lambda hit: (hit.by_name, hit.weak, hit.implied, -hit.score, hit.organisation.name)
    )
    return hits[:limit]


def _shown(line: "ScopeLine | Line") -> str:
    return " ｜ ".join(filter(None, [line.object, line.parameter, line.standard]))


def _named(name: str, parsed: Parsed) -> bool:
    plain = compact(name)
    return bool(parsed.words) and all(
        any(compact(a) in plain for a in word.alternatives) for word in parsed.words
    )


K1 = 1.2  # BM25 term-frequency saturation


def _score(parsed: Parsed, matched: "list[ScopeLine] | list[Line]", idf: dict[str, float]) -> float:
    """Weighted coverage: every word is covered (that is the match), so the score says how
    well — in how many lines (saturating, as BM25), in the object rather than the parameter,
    and with the words next to each other as typed."""
    score = 0.0
    together = compact("".join(w.text for w in parsed.words))
    for word in parsed.words:
        weight = idf.get(word.text, 1.0)
        n = len(matched)
        score += weight * (n * (K1 + 1)) / (n + K1)
        if any(
            any(compact(a) in compact(line.object) for a in word.alternatives) for line in matched
        ):
            score += 0.5 * weight
    if len(parsed.words) > 1 and any(together in compact(line.text()) for line in matched):
        score += 0.5 * sum(idf.values())
    score += 2.0 * len(parsed.standards) + 0.5 * len(parsed.verbs)
    return score


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
            pk__in=Qualification.objects.filter(
                type=qualification, valid_until__gte=today, withdrawn_at__isnull=True
            ).values("organisation")
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
    return sorted({q.type for q in organisation.qualifications.all() if q.valid_on(today)})
