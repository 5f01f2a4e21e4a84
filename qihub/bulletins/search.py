"""Finding policies (CAT-7) with the search's understanding of Chinese (ADR 0011): the query is
segmented by jieba with the scope vocabulary and synonyms (`institutions.query.parse`), and a
policy matches when every word (through any of its synonyms) occurs in its title, issuer,
number or text. Standard numbers typed into the box are matched as numbers."""

from django.db.models import Q, QuerySet

from qihub.bulletins.models import Policy
from qihub.institutions.query import parse
from qihub.institutions.tokens import normalise
from qihub.institutions.words import QUERY_VERBS


def search(rows: QuerySet[Policy], text: str) -> QuerySet[Policy]:
    text = normalise(text).strip()
    if not text:
        return rows
    parsed = parse(text)
    groups = [w.alternatives for w in parsed.words]
    # The parser takes 检定/认证 as the service asked for; in a policy they are plain words.
    groups += [(token,) for token in QUERY_VERBS if token in text and len(token) > 1]
    if not groups:
        groups = [(text,)]
    for options in groups:
        any_of = Q()
        for alt in options:
            any_of |= (
                Q(title__icontains=alt)
                | Q(issuer__icontains=alt)
                | Q(number__icontains=alt)
                | Q(text__icontains=alt)
            )
        rows = rows.filter(any_of)
    return rows
