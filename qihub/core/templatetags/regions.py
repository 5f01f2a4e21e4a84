"""`{% load regions %}{{ organisation.region|region_name }}` → "江苏省无锡市新吴区"."""

from django import template

from qihub.core import regions

register = template.Library()


@register.filter
def region_name(code: str | None) -> str:
    """The division's full name; "—" when there is none; the code itself when unknown."""
    return regions.full_name(code) if code else "—"
