"""The search index (ADR 0006, ADR 0011): one posting per term per institution, valid until the
last day a scope line carrying the term is offered, with a term per service verb; rebuilt when
an institution, its qualifications or its lines change. The scope vocabulary grows with it."""

import datetime as dt
import hashlib

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max, Prefetch, QuerySet
from pypinyin import lazy_pinyin

from qihub.accounts.models import MemberKind, Organisation
from qihub.catalog.models import Category
from qihub.institutions.models import (
    QualificationType,
    ScopeLine,
    SearchTerm,
    SearchWord,
)
from qihub.institutions.page_cache import SEARCH_GENERATION
from qihub.institutions.query import VOCABULARY, vocabulary_words
from qihub.institutions.scope import line_verbs
from qihub.institutions.tokens import document_terms
from qihub.institutions.workflow import listed_institutions
from qihub.workcal.calendar import TZ

NAME, SCOPE, OTHER = 100, 10, 1


CATEGORY_BITS = {code: 1 << i for i, code in enumerate(Category.values)}
QUALIFICATION_BITS = {code: 1 << i for i, code in enumerate(QualificationType.values)}

Posting = tuple[str, int, int, str, int, int, dt.date]


def _line_until(line: ScopeLine, institution_until: dt.date) -> dt.date | None:
    """The last day a line may be offered: its qualification's expiry; a line that needs no
    licence lasts as long as the institution is listed; a withdrawn one is not offered."""
    if line.withdrawn_at is not None:
        return None
    qualification = line.qualification
    if qualification is None:
        return institution_until
    if qualification.withdrawn_at is not None:
        return None
    return qualification.valid_until


def _postings(organisation: Organisation, listed_until: dt.date, today: dt.date) -> list[Posting]:
    """One posting per term, valid until the last day a line carrying the term is offered: a
    term of a lapsed CMA line drops out of search on its own while the CNCA lines stay."""
    weights: dict[str, int] = {}
    until: dict[str, dt.date] = {}
    for term in document_terms(organisation.name):
        weights[term] = NAME
        until[term] = listed_until
    lines: dict[str, int] = {}
    categories = 0
    for line in organisation.scope_lines.all():
        line_until = _line_until(line, listed_until)
        if line_until is None or line_until < today:
            continue
        categories |= CATEGORY_BITS.get(line.category, 0)
        qualification_type = line.qualification.type if line.qualification else ""
        verbs = line_verbs(line.text(), line.category, qualification_type, line.verb)
        for term in document_terms(line.text()) | {f"v:{verb}" for verb in verbs}:
            lines[term] = lines.get(term, 0) + 1
            until[term] = max(until.get(term, line_until), line_until)
    for term, count in lines.items():
        weights[term] = weights.get(term, 0) + SCOPE + min(count - 1, 9)
    held_now = [q for q in organisation.qualifications.all() if q.valid_on(today)]
    other = " ".join([organisation.address] + [q.scope for q in held_now])
    for term in document_terms(other):
        if term not in weights:
            weights[term] = OTHER
            until[term] = listed_until
    held = 0
    for qualification in held_now:
        held |= QUALIFICATION_BITS.get(qualification.type, 0)
    return [
        (term, organisation.pk, weight, organisation.region, categories, held, until[term])
        for term, weight in weights.items()
    ]


@transaction.atomic
def reindex(organisation: Organisation) -> None:
    """Rebuild one institution's postings; an institution that may not be offered has none."""
    reindex_many([organisation.pk])


def reindex_many(organisation_ids: list[int]) -> int:
    """Rebuild the postings of these institutions; returns how many postings were written.
    Rows go in through the cursor: model instances would cost more than the tokenising.
    The scope vocabulary (the segmenter's domain dictionary) grows with the new words."""
    today = dt.datetime.now(TZ).date()
    table = SearchTerm._meta.db_table
    insert = f"INSERT INTO {table} ({COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s)"  # noqa: S608  # the table name is the model's own
    written = 0
    known = set(SearchWord.objects.values_list("word", flat=True))
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
            words: dict[str, str] = {}
            for organisation in Organisation.objects.filter(pk__in=listed).prefetch_related(
                Prefetch("scope_lines", queryset=ScopeLine.objects.select_related("qualification")),
                "qualifications",
            ):
                rows += _postings(organisation, listed[organisation.pk], today)
                for line in organisation.scope_lines.all():
                    for word, kind in vocabulary_words(line.object, line.parameter):
                        if word not in known:
                            words.setdefault(word, kind)
            _write(insert, rows)
            written += len(rows)
            if words:
                SearchWord.objects.bulk_create(
                    [
                        SearchWord(word=w, kind=k, pinyin="".join(lazy_pinyin(w))[:240])
                        for w, k in words.items()
                    ],
                    ignore_conflicts=True,
                )
                known |= set(words)
                VOCABULARY.forget()
    # The postings and words go in without save signals: the search page's kept results go.
    SEARCH_GENERATION.bump()
    return written


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


def institution_count() -> int:
    total = cache.get("qihub:institution-count")
    if total is None:
        total = max(Organisation.objects.filter(kind=MemberKind.INSTITUTION).count(), 1)
        cache.set("qihub:institution-count", total, timeout=CARRIER_CACHE_SECONDS)
    return int(total)


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
