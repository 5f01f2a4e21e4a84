"""The order page's samples block: its samples, their per-leg turnaround and the button to
register one (ORD-4), without the orders app knowing about samples."""

from typing import Any

from django import template

from qihub.samples.access import visible_samples
from qihub.samples.turnaround import legs
from qihub.workcal.services import load_calendar

register = template.Library()


@register.inclusion_tag("samples/_order_samples.html", takes_context=True)
def order_samples(context: dict, order: Any) -> dict:
    user = context["request"].user
    samples = list(visible_samples(user).filter(order=order))
    calendar = load_calendar() if samples else None
    return {
        "order": order,
        "rows": [(s, legs(s, calendar)) for s in samples],
        "may_register": user.pk == order.client_id and order.is_open(),
    }
