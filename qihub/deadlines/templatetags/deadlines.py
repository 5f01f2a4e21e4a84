"""`{% clock_badges clocks %}`: the clocks' badges (`deadlines.display`), one markup for
detail pages and lists."""

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from qihub.deadlines import display

register = template.Library()


@register.simple_tag
def clock_badges(clocks: Iterable[dict] | None) -> SafeString:
    # A page without clocks in its context passes "" (the template's missing value).
    return display.clock_badges(clocks or ())
