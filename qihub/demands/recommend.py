"""Recommending institutions for a demand (DEM-4, DEM-5, DEM-6): the demand is read as needs
(`query.parse`: the objects and parameters the scope vocabulary knows, the standards, the
verb 检定 / 校准 / 检验检测 / 认证, a region named in the text), and an institution fits when its
lines offered today meet every need — a parameter in a line with the object, all of the asked
service. The reasons say which line meets which need. Fitting institutions are ranked by how
closely one line meets them all, the demand's category and region, and the track record of the
last year (on-time completion and ratings, once there are enough of them: about ±10 %). When
nobody fits, nobody is recommended and the demand page offers the outside referral. See ADR
0006 for the index, ADR 0007 and ADR 0011 for this reading.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils import timezone

from qihub.accounts.models import Organisation
from qihub.catalog.models import Category
from qihub.core import regions
from qihub.demands.models import Demand, Recommendation, RecommendedInstitution
from qihub.institutions.lines import Line, asked_service, heads, read_lines, words_in
from qihub.institutions.models import Verb
from qihub.institutions.query import Parsed, Word, parse, shorter
from qihub.institutions.scope import line_verbs
from qihub.institutions.search import candidates_for, highlight
from qihub.institutions.tokens import document_terms
from qihub.institutions.words import GENERIC
from qihub.institutions.workflow import listed_institutions
from qihub.workcal.calendar import TZ

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
    weak: bool = False  # its lines carry an object word only inside another object
    implied: bool = False  # calibration asked, only verification lines offered


class Recommended(list[Candidate]):
    """The fitting institutions, with the needs read from the demand and where they were sought."""

    def __init__(self, needs: Parsed | None = None) -> None:
        super().__init__()
        self.needs = needs
        self.region = ""  # the region prefix the institutions were found in
        self.asked_region = ""
        self.unconfirmed: list[str] = []  # needs no fitting line lists


def needs_of(text: str) -> Parsed:
    """The demand as needs: words the scope vocabulary knows, standards, verb, region. Words
    no scope line uses ("医院", "新买") are the enterprise describing itself, not a need."""
    parsed = parse(text)
    parsed.ignored += [w.text for w in parsed.words if not w.kind or w.text in GENERIC]
    parsed.words = [w for w in parsed.words if w.kind and w.text not in GENERIC]
    return parsed


def recommend(
    text: str,
    *,
    category: str = "",
    region: str = "",
    limit: int = 10,
    today: dt.date | None = None,
) -> Recommended:
    today = today or dt.datetime.now(TZ).date()
    needs = needs_of(text)
    found = Recommended(needs)
    if not (needs.words or needs.standards):
        return found
    # A place named in the text is where the enterprise wants the service; the demand's own
    # region (where it is) only ranks. Nobody there: the city, then the province.
    chain = regions.widen(needs.region) if needs.region else [""]
    found.asked_region = needs.region
    # Every need first; then, while nobody meets them all, the commonest word is left for the
    # enterprise to confirm with the institution (示值误差 before 血压计; 食用油 read as 食品
    # before 酸价), down to one word; then long object words cut to their head (医用外科口罩
    # → 口罩).
    fallback: tuple[list[Candidate], str, Parsed] | None = None
    attempt, headed = needs, False
    while True:
        idf: dict[str, float] = {}
        for prefix in chain:
            candidates, idf = candidates_for(attempt, prefix, today, require_all=False)
            fitting = _fitting(attempt, candidates, idf, category, region, today)
            if fitting and all(c.weak for c in fitting):
                fallback = fallback or (fitting, prefix, attempt)  # 化妆品包装 for 化妆品
                continue
            if fitting:
                return _recommended(found, fitting[:limit], prefix, needs, attempt)
        if len(attempt.words) > 1:
            commonest = min(attempt.words, key=lambda w: (idf.get(w.text, 0.0), w.kind == "object"))
            kept = [w for w in attempt.words if w is not commonest]
        elif not headed:
            headed = True
            kept = [shorter(w) or w for w in attempt.words]
            if all(a is b for a, b in zip(kept, attempt.words, strict=True)):
                break
        else:
            break
        attempt = Parsed(kept, needs.verbs, needs.standards, needs.region, needs.region_text)
    if fallback:
        found += fallback[0][:limit]
        found.region = fallback[1]
    return found


def _recommended(
    found: Recommended, fitting: list[Candidate], prefix: str, needs: Parsed, attempt: Parsed
) -> Recommended:
    found += fitting
    found.region = prefix
    kept = {w.text for w in attempt.words}
    found.unconfirmed = [w.text for w in needs.words if w.text not in kept]
    if found.unconfirmed:
        for candidate in found:
            candidate.reasons.append(
                "请与机构确认：" + "、".join(found.unconfirmed) + "（能力范围未列明）"
            )
    return found


def _fitting(
    needs: Parsed,
    candidates: list[int],
    idf: dict[str, float],
    category: str,
    region: str,
    today: dt.date,
) -> list[Candidate]:
    if not candidates:
        return []
    lines_by_org: dict[int, list[Line]] = {}
    for organisation_id, lines in read_lines(candidates).items():
        offered = [ln for ln in lines if ln.valid_on(today) and _of_service(ln, needs)]
        if offered:
            lines_by_org[organisation_id] = offered
    fits: dict[int, Fit] = {}
    for pk, offered in lines_by_org.items():
        fit = _fit(needs, offered)
        if fit is not None:
            fits[pk] = fit
    if not fits:
        return []
    organisations = _with_track_record(
        listed_institutions(today).filter(pk__in=fits), today
    ).prefetch_related("qualifications")
    candidates_found = [
        _explain(organisation, fits[organisation.pk], needs, idf, category, region, today)
        for organisation in organisations
    ]
    for candidate in candidates_found:
        used = [line for _, line in fits[candidate.organisation.pk]]
        candidate.weak = not any(heads(line, needs.words) for line in used)
        candidate.implied = not any(asked_service(line, needs) for line in used)
    candidates_found.sort(key=lambda c: (c.weak, c.implied, -c.score, c.organisation.name))
    return candidates_found


def _of_service(line: Line, needs: Parsed) -> bool:
    if not needs.verbs:
        return True
    qualification_type = line.qualification.type if line.qualification else ""
    return bool(needs.verbs & line_verbs(line.text(), line.category, qualification_type, line.verb))


Fit = list[tuple[str, Line]]  # each need and the line that meets it


def _fit(needs: Parsed, lines: list[Line]) -> Fit | None:
    """Which line meets which need, or None when a need is unmet. A parameter counts only in a
    line that also carries an asked object: 体温计 + 示值误差 is not met by 血压计 示值误差."""
    objects = [w for w in needs.words if w.kind == "object"]
    parameters = [w for w in needs.words if w.kind != "object"]
    met: Fit = []
    with_object = [line for line in lines if any(words_in(line, [w]) for w in objects)]
    for word in objects:
        line = _best(lines, [word], needs.words)
        if line is None:
            return None
        met.append((word.text, line))
    for word in parameters:
        line = _best(with_object if objects else lines, [word], needs.words)
        if line is None:
            return None
        met.append((word.text, line))
    for standard in sorted(needs.standards):
        line = next((ln for ln in lines if standard in document_terms(ln.text())), None)
        if line is None:
            return None
        met.append((_standard_label(standard), line))
    return met


def _best(lines: list[Line], wanted: list[Word], all_words: list[Word]) -> Line | None:
    """The line carrying the wanted word that carries most of the other words too."""
    carrying = [line for line in lines if words_in(line, wanted)]
    if not carrying:
        return None
    return max(carrying, key=lambda line: (sum(words_in(line, [w]) for w in all_words), -line.pk))


def _standard_label(term: str) -> str:
    return term.removeprefix("s:").upper()


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
    fit: Fit,
    needs: Parsed,
    idf: dict[str, float],
    category: str,
    region: str,
    today: dt.date,
) -> Candidate:
    """Score one fitting institution and say why: which line meets which need."""
    used = list(dict.fromkeys(line for _, line in fit))
    # One line meeting every need says more than the needs met across unrelated lines.
    concentration = len(fit) / len(used) if used else 1.0
    mass = sum(idf.get(w.text, 1.0) for w in needs.words) + 2.0 * len(needs.standards)
    score = 10.0 * mass * (0.7 + 0.3 * concentration / max(len(fit), 1))
    service = "、".join(Verb(v).label for v in sorted(needs.verbs))
    reasons = []
    for need, line in fit:
        reasons.append(f"{need}{f'（{service}）' if service else ''}：能力范围 {_shown(line)}")
    if category and any(line.category == category for line in used):
        score *= CATEGORY_BOOST
        reasons.append(f"服务类别：{Category(category).label}")
    valid = [q for q in organisation.qualifications.all() if q.valid_on(today)]
    authorising = {line.qualification_id for line in used}
    for qualification in sorted(valid, key=lambda q: q.pk not in authorising)[:2]:
        reasons.append(
            f"资质：{qualification.get_type_display()} {qualification.number}，"
            f"有效期至 {qualification.valid_until:%Y-%m-%d}"
        )
    home = region or needs.region
    for digits in (6, 4, 2):
        if home and organisation.region[:digits] == home[:digits]:
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
    marked_words = [a for w in needs.words for a in w.alternatives]
    marked = [highlight(_shown(line), marked_words) for line in used[:3]]
    return Candidate(organisation, round(score, 1), reasons, marked)


def _shown(line: Line) -> str:
    return " ｜ ".join(filter(None, [line.object, line.parameter, line.standard]))


SHORTLIST = 8  # institutions the draft recommendation keeps


def refresh_recommendation(demand: Demand, *, at: dt.datetime | None = None) -> Recommendation:
    """Recompute the draft shortlist; staff additions and exclusions survive."""
    at = at or timezone.now()
    recommendation, created = Recommendation.objects.get_or_create(
        demand=demand, defaults={"computed_at": at}
    )
    # A new recommendation has no items yet: not read. New items are written in one statement,
    # so publishing costs the same whether 1 or 8 institutions are found (issue 22/23).
    kept = {} if created else {item.organisation_id: item for item in recommendation.items.all()}
    candidates = recommend(
        demand.text(), category=demand.category, region=demand.region, limit=SHORTLIST
    )
    rank = 0
    new: list[RecommendedInstitution] = []
    for rank, candidate in enumerate(candidates, 1):
        item = kept.pop(candidate.organisation.pk, None)
        if item is None:
            new.append(
                RecommendedInstitution(
                    recommendation=recommendation,
                    organisation=candidate.organisation,
                    rank=rank,
                    score=candidate.score,
                    reasons=candidate.reasons,
                )
            )
        else:
            item.rank, item.score, item.reasons = rank, candidate.score, candidate.reasons
            item.save(update_fields=["rank", "score", "reasons"])
    RecommendedInstitution.objects.bulk_create(new)
    for item in kept.values():  # no longer found by the engine
        if item.added_by_staff:
            rank += 1
            item.rank = rank
            item.save(update_fields=["rank"])
        else:
            item.delete()
    if not created:  # a new one was made with `at`
        recommendation.computed_at = at
        recommendation.save(update_fields=["computed_at"])
    return recommendation
