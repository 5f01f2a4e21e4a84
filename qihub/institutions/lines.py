"""Scope lines as search and recommendation check them (MATCH-1, MATCH-3): read as plain rows,
offered today under a valid qualification, of the asked service, carrying the words, and about
them (the head noun) rather than merely containing them."""

import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from qihub.institutions.models import Qualification, ScopeLine, line_offered_on, line_text
from qihub.institutions.query import Parsed, Word
from qihub.institutions.scope import line_verbs
from qihub.institutions.tokens import document_terms, normalise


@dataclass(frozen=True)
class LineQualification:
    type: str
    valid_until: dt.date
    withdrawn_at: dt.datetime | None

    def valid_on(self, day: dt.date) -> bool:
        return self.withdrawn_at is None and self.valid_until >= day


@dataclass(frozen=True)
class Line:
    """A scope line as read for matching: the columns, not a model instance (thousands are read
    per query; a model instance costs ten times more than the check)."""

    pk: int
    organisation_id: int
    qualification_id: int | None
    category: str
    object: str
    parameter: str
    standard: str
    limits: str
    verb: str
    withdrawn_at: dt.datetime | None
    qualification: LineQualification | None

    def text(self) -> str:
        return line_text(self)

    def valid_on(self, day: dt.date) -> bool:
        return line_offered_on(self, day)


def read_lines(organisations: Iterable[int]) -> dict[int, list[Line]]:
    """The scope lines of these institutions, by institution, in entry order."""
    columns = [
        "id",
        "organisation_id",
        "qualification_id",
        "category",
        "object",
        "parameter",
        "standard",
        "limits",
        "verb",
        "withdrawn_at",
    ]
    found: dict[int, list[Line]] = {}
    rows = list(
        ScopeLine.objects.filter(organisation__in=list(organisations))
        .order_by("id")
        .values_list(*columns)
    )
    # The qualifications in a query of their own, by primary key: joined, PostgreSQL hashed
    # the whole qualification table (60,000 rows, 50 ms) for a few hundred lines.
    qualifications = {
        pk: LineQualification(type=type_, valid_until=valid_until, withdrawn_at=withdrawn_at)
        for pk, type_, valid_until, withdrawn_at in Qualification.objects.filter(
            pk__in={row[2] for row in rows if row[2] is not None}
        ).values_list("pk", "type", "valid_until", "withdrawn_at")
    }
    for row in rows:
        line = Line(
            pk=row[0],
            organisation_id=row[1],
            qualification_id=row[2],
            category=row[3],
            object=row[4],
            parameter=row[5],
            standard=row[6],
            limits=row[7],
            verb=row[8],
            withdrawn_at=row[9],
            qualification=qualifications.get(row[2]) if row[2] is not None else None,
        )
        found.setdefault(line.organisation_id, []).append(line)
    return found


def words_in(line: "ScopeLine | Line", words: list[Word]) -> bool:
    """Every word (or one of its synonyms) occurs in the line, wherever."""
    plain = compact(line.text())
    return all(any(compact(a) in plain for a in word.alternatives) for word in words)


_BRACKETED = re.compile(r"[（(][^）)]*[）)]")


def heads(line: "ScopeLine | Line", words: list[Word]) -> bool:
    """Each object word is what the line is about: the object ends with it (电子体温计 for
    体温计; not 化妆品包装 for 化妆品, not 电能表箱 for 电能表), or another field names it."""
    obj = compact(_BRACKETED.sub("", line.object))
    rest = compact(" ".join([line.parameter, line.standard, line.limits]))
    for word in words:
        if word.kind != "object":
            continue
        if not any(
            obj.endswith(compact(a))
            or compact(a) in rest
            or compact(a) in compact(line.object).split("、")
            for a in word.alternatives
        ):
            return False
    return True


def asked_service(line: "ScopeLine | Line", parsed: Parsed) -> bool:
    """The line names the asked service itself, not only one its service implies."""
    if not parsed.verbs:
        return True
    qualification_type = line.qualification.type if line.qualification else ""
    own = line_verbs(line.text(), line.category, qualification_type, line.verb, implied=False)
    return bool(parsed.verbs & own)


def line_covers(line: "ScopeLine | Line", parsed: Parsed, today: dt.date) -> bool:
    """A line offered today, of the asked service, carrying every word and standard."""
    if not line.valid_on(today):
        return False
    text = line.text()
    if parsed.verbs:
        qualification_type = line.qualification.type if line.qualification else ""
        if not parsed.verbs & line_verbs(text, line.category, qualification_type, line.verb):
            return False
    if not words_in(line, parsed.words):
        return False
    return not parsed.standards or parsed.standards <= standards_in(text)


@functools.lru_cache(maxsize=65536)  # a standard is asked of every line read, query after query
def standards_in(text: str) -> frozenset[str]:
    """The standard-number terms of a line's text ("s:jjg52", "s:jjg52-2013"), as indexed."""
    return frozenset(term for term in document_terms(text) if term.startswith("s:"))


_SPACES = re.compile(r"[\s/]+")


@functools.lru_cache(maxsize=65536)  # the same lines and words come back query after query
def compact(text: str) -> str:
    return _SPACES.sub("", normalise(text))
