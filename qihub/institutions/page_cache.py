"""The search page's results area, kept once drawn (issue 23: search cost 16–21 ms of CPU and
10–25 queries a request, the public page furthest from its 5 ms target).

What the area shows is a function of the request's query string, whether the visitor may order
(`may_act`), the day, the scope vocabulary this process segments with, and the platform's
institutions, qualifications, scope lines, published services, synonyms and service guides. The
key names each of these; the last are named through `SEARCH_GENERATION`, bumped when any of
them is saved or deleted and whenever the search index is rebuilt (`index.reindex_many`), so an
edit shows at the very next search. Bulk updates send no signal; `KEEP_SECONDS` bounds how long
they go unseen, as for the home page (`catalog.home_cache`)."""

import hashlib

from django.core.cache import cache

from qihub.core.generations import Generation, on_save_or_delete

GENERATION_KEY = "institutions:search-generation"
SEARCH_GENERATION = Generation(GENERATION_KEY)
KEEP_SECONDS = 60
INPUTS = (
    "accounts.Organisation",
    "institutions.Qualification",
    "institutions.ScopeLine",
    "institutions.InstitutionService",
    "institutions.Synonym",
    "institutions.SearchWord",
    "catalog.ServiceItem",
    "catalog.GuideVersion",
)


def key(query_string: str, may_act: bool, today: str, vocabulary: object) -> str:
    """The cache key of one results area. The query string is taken whole and in its order:
    the page's links repeat it (`{% querystring %}`)."""
    asked = hashlib.sha256(f"{query_string}|{may_act}|{today}|{vocabulary}".encode()).hexdigest()
    return f"search-page:{asked}"


def get(key: str) -> tuple[str, dict[str, str] | None] | None:
    """The kept (html, miss) under `key`, if drawn at the current generation. The generation
    is read in the same round trip as the area (one query on the database cache, not two)."""
    found = cache.get_many([GENERATION_KEY, key])
    kept = found.get(key)
    if kept is None:
        return None
    current = found[GENERATION_KEY] if GENERATION_KEY in found else generation()
    if kept[0] != current:
        return None
    return kept[1], kept[2]


def keep(key: str, html: str, miss: dict[str, str] | None, drawn_at: int) -> None:
    """Keep what was drawn under the generation read before drawing it: an edit made while it
    was drawn has bumped past it, so the copy is never taken for the newer one."""
    cache.set(key, (drawn_at, html, miss), KEEP_SECONDS)


def generation() -> int:
    return SEARCH_GENERATION.current()


def inputs_changed(**kwargs: object) -> None:
    SEARCH_GENERATION.bump()


def watch() -> None:
    on_save_or_delete(INPUTS, inputs_changed, "search")
