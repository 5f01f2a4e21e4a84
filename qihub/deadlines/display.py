"""A subject's open clocks as badges (名称：剩余 N 个工作日 · 截止 月-日 时:分), for detail pages
(`demands/_clocks.html`, through `{% clock_badges %}`) and list cells alike.

In Python rather than a template because the demand lists draw it on every row (issue 23: a
template include per cell cost more than the rest of the row). `clocks` are readings as
`queries.describe` gives them, each with the clock's `name`.
"""

import datetime as dt
from collections.abc import Iterable

from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime


def _due(value: object) -> str:
    """`{{ due_at|date:"m-d H:i" }}`: local time, as the template filter gives it; the filter
    itself (format lookup, translation) cost more than the rest of the badge."""
    local = template_localtime(value)
    if isinstance(local, dt.datetime):
        return f"{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"
    return date_filter(local, "m-d H:i")


def _badge(clock: dict) -> SafeString:
    if clock.get("overdue") and not clock.get("stopped"):
        badge = SafeString('<span class="badge text-bg-danger">已超时</span>')
    elif clock.get("stopped"):
        tone = "text-bg-warning" if clock.get("overdue") else "text-bg-success"
        badge = format_html('<span class="badge {}">{}</span>', tone, clock.get("label", ""))
    else:
        badge = format_html(
            '<span class="badge text-bg-info" data-testid="time-left">{}</span>',
            clock.get("label", ""),
        )
    return format_html(
        '<span class="me-2 text-nowrap" data-testid="clock">{}：{} '
        '<small class="text-muted">截止 {}</small></span>',
        clock.get("name", ""),
        badge,
        _due(clock.get("due_at")),
    )


def clock_badges(clocks: Iterable[dict] | None) -> SafeString:
    """Every clock's badge in order; "—" when there is none."""
    badges = [_badge(clock) for clock in clocks or ()]
    return SafeString("".join(badges)) if badges else SafeString("—")
