"""Finding standards: one number in any spelling, a list of numbers (the batch check), and
words in titles and numbers (查新)."""

import difflib
import re
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from qihub.institutions.tokens import query_terms, standard_key
from qihub.standards.models import Standard, Status

# Without a year the current edition answers; failing that the coming one, then the newest.
PREFERENCE = [Status.CURRENT, Status.UPCOMING, Status.SUPERSEDED, Status.WITHDRAWN]


@dataclass
class Found:
    typed: str
    standard: Standard | None = None
    editions: list[Standard] = field(default_factory=list)
    suggestions: list[Standard] = field(default_factory=list)
    valid_number: bool = True


def _pick(editions: list[Standard]) -> Standard:
    return min(editions, key=lambda s: (PREFERENCE.index(s.status), -int(s.year or 0)))


def lookup(typed: str) -> Found:
    found = Found(typed=typed.strip())
    parsed = standard_key(typed)
    if parsed is None:
        found.valid_number = False
        return found
    key, year = parsed
    found.editions = list(Standard.objects.filter(key=key).order_by("-year"))
    if year:
        found.standard = next((s for s in found.editions if s.year == year), None)
    elif found.editions:
        found.standard = _pick(found.editions)
    if found.standard is None:
        found.suggestions = found.editions[:3] or suggest(key)
    return found


def suggest(key: str, limit: int = 5) -> list[Standard]:
    """Numbers close to a mistyped one: same digits under another prefix, or a near spelling."""
    digits = re.search(r"\d[\d.]*", key)
    rows: list[Standard] = []
    if digits:
        rows = list(Standard.objects.filter(key__endswith=digits.group(0))[:limit])
    if len(rows) < limit:
        letters = re.match(r"[a-z]+", key)
        pool = Standard.objects.filter(key__startswith=letters.group(0) if letters else "")
        keys = list(pool.values_list("key", flat=True).distinct()[:5000])
        close = difflib.get_close_matches(key, keys, n=limit, cutoff=0.8)
        for s in Standard.objects.filter(key__in=close):
            if s not in rows:
                rows.append(s)
    return rows[:limit]


def replacement_of(standard: Standard) -> Standard | None:
    """The standard that replaced this one, when the table holds it."""
    for number in standard.replaced_by_list():
        parsed = standard_key(number)
        if parsed is None:
            continue
        found = Standard.objects.filter(key=parsed[0])
        if parsed[1]:
            found = found.filter(year=parsed[1])
        edition = found.first()
        if edition is not None:
            return edition
    return None


# --- batch check -------------------------------------------------------------------------------
RESULTS = {
    "current": "现行有效",
    "upcoming": "即将实施",
    "superseded": "已被代替",
    "withdrawn": "已废止",
    "not_found": "未找到",
    "invalid": "不是标准号",
}


@dataclass
class Line:
    line: int
    typed: str
    result: str
    standard: Standard | None = None
    detail: str = ""
    duplicate_of: int = 0
    suggestions: list[str] = field(default_factory=list)

    @property
    def result_label(self) -> str:
        return RESULTS[self.result]


# A pasted or uploaded line may carry a serial before the number and the title after it
# ("3. GB/T 19001-2016 质量管理体系 要求"): the number is what comes before the first Chinese
# character (book-title marks included).
SERIAL = re.compile(r"^\s*\d{1,4}\s*[.、)）]\s*(?=[A-Za-zＡ-Ｚａ-ｚ])")
CHINESE = re.compile(r"[\u3400-\u9fff《（(]")


def number_in(text: str) -> str:
    text = SERIAL.sub("", text)
    match = CHINESE.search(text)
    return (text[: match.start()] if match and match.start() > 0 else text).strip()


def check_lines(lines: list[str]) -> list[Line]:
    """One result per non-blank line, in the order given; a repeated number says so."""
    out: list[Line] = []
    seen: dict[tuple[str, str], int] = {}
    for index, text in enumerate(lines, 1):
        if not text.strip():
            continue
        typed = number_in(text)
        found = lookup(typed)
        line = Line(line=index, typed=text.strip()[:120], result="not_found")
        if not found.valid_number:
            line.result = "invalid"
            line.detail = "请填写标准号，如 GB/T 19001-2016"
            out.append(line)
            continue
        parsed = standard_key(typed)
        if parsed in seen:
            line.duplicate_of = seen[parsed]
        else:
            seen[parsed] = index
        standard = found.standard
        if standard is None:
            line.suggestions = [s.number for s in found.suggestions]
            line.detail = "平台标准库中没有该标准号"
            if found.editions:
                current = _pick(found.editions)
                line.detail = f"没有该年代号的版本；本标准现为 {current.number}（{current.get_status_display()}）"
            out.append(line)
            continue
        line.standard = standard
        line.result = standard.status
        if standard.status == Status.SUPERSEDED:
            line.detail = f"被 {standard.replaced_by} 代替" if standard.replaced_by else "已被代替"
            newer = replacement_of(standard)
            if newer is not None and newer.status != Status.CURRENT:
                line.detail += f"（{newer.number} {newer.get_status_display()}）"
        elif standard.status == Status.WITHDRAWN:
            line.detail = (
                f"已于 {standard.withdrawn_on:%Y-%m-%d} 废止" if standard.withdrawn_on else "已废止"
            )
        elif standard.status == Status.UPCOMING:
            line.detail = (
                f"将于 {standard.effective_on:%Y-%m-%d} 实施"
                if standard.effective_on
                else "尚未实施"
            )
            if standard.replaces:
                line.detail += f"，实施后代替 {standard.replaces}"
        else:
            line.detail = f"现行版本 {standard.number}"
        out.append(line)
    return out


# --- 查新 ----------------------------------------------------------------------------------------
def search(queryset: QuerySet, words: str) -> QuerySet:
    """Standards whose number and title hold every word, in any order (search's own terms)."""
    terms = query_terms(words)
    condition = Q()
    for term in terms:
        condition &= Q(terms__contains=f" {term} ")
    return queryset.filter(condition) if terms else queryset
