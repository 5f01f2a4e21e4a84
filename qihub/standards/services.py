"""Watching standards: shared by the pages and the API."""

from qihub.accounts.models import User
from qihub.institutions.tokens import standard_key
from qihub.standards.lookup import Line, lookup
from qihub.standards.models import Standard, Watch


class NotFound(ValueError):
    """The number names no standard in the table; the message says so in Chinese."""


def watch(user: User, number: str) -> Standard:
    found = lookup(number)
    if not found.valid_number:
        raise NotFound(f"标准号：“{number[:40]}”不是标准号（应如 GB/T 19001-2016）")
    if found.standard is None:
        raise NotFound(f"标准号：平台标准库中没有 {number[:40]}")
    Watch.objects.get_or_create(user=user, standard=found.standard)
    return found.standard


def watch_found(user: User, lines: list[Line]) -> int:
    """Watch every standard a batch check found; returns how many were new."""
    have = set(Watch.objects.filter(user=user).values_list("standard_id", flat=True))
    new = {line.standard.pk for line in lines if line.standard is not None} - have
    Watch.objects.bulk_create(
        [Watch(user=user, standard_id=pk) for pk in new], ignore_conflicts=True
    )
    return len(new)


def linked(numbers: list[str]) -> list[tuple[str, Standard | None]]:
    """Each number with its record when the table holds it (replaces / replaced-by links)."""
    out = []
    for number in numbers:
        parsed = standard_key(number)
        standard = None
        if parsed:
            rows = Standard.objects.filter(key=parsed[0])
            standard = (rows.filter(year=parsed[1]) if parsed[1] else rows).first()
        out.append((number, standard))
    return out
