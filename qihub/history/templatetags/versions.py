from django import template
from django.urls import reverse
from django.utils.html import format_html

from qihub.accounts.roles import BACK_OFFICE
from qihub.history.views import kind_of

register = template.Library()


@register.simple_tag(takes_context=True)
def version_link(context: template.Context, instance: object) -> str:
    """“版本记录” for the back office on a record that has a version page; nothing otherwise."""
    user = context.get("user")
    kind = kind_of(instance) if instance is not None else None
    if kind is None or getattr(instance, "pk", None) is None:
        return ""
    if getattr(user, "role", None) not in BACK_OFFICE:
        return ""
    url = reverse("history:versions", args=[kind, instance.pk])  # type: ignore[attr-defined]
    return format_html('<a class="small" href="{}" data-testid="version-link">版本记录</a>', url)
