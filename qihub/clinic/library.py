"""The public Q&A library: published answers, anonymised, found with the search's parser."""

from django.db.models import Q, QuerySet

from qihub.clinic.models import Consultation
from qihub.institutions.query import parse


def published() -> QuerySet:
    return Consultation.objects.filter(published_at__isnull=False).order_by("-published_at")


def search(text: str, field: str = "") -> list[Consultation]:
    """Every published answer whose anonymised text holds each word of the query (a word
    matches through any of its synonyms), the most matches first."""
    rows = published()
    if field:
        rows = rows.filter(field=field)
    if not text:
        return list(rows)
    parsed = parse(text)
    alternatives = [w.alternatives for w in parsed.words] or [(text,)]
    for options in alternatives:
        any_of = Q()
        for alt in options:
            any_of |= (
                Q(public_title__icontains=alt)
                | Q(public_question__icontains=alt)
                | Q(public_answer__icontains=alt)
            )
        rows = rows.filter(any_of)
    return list(rows)
