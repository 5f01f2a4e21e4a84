"""Small pieces of the page shell that many templates share."""

from django import template
from django.urls import NoReverseMatch, reverse

from qihub.accounts.navigation import WORKBENCH_LABELS

register = template.Library()

# Stands for the signed-in user's own workbench (its label follows the role); visitors have none.
WORKBENCH = "@workbench"


@register.inclusion_tag("ui/breadcrumbs.html", takes_context=True)
def breadcrumbs(context: template.Context, *parts: object) -> dict:
    """The trail from the home page to this one:
    `{% breadcrumbs "@workbench" "投诉处理" "complaints:list" complaint.number %}` —
    label/address pairs (a URL name or a path), then the current page's label. "@workbench"
    takes one place and becomes the user's workbench link."""
    user = context.get("user")
    crumbs: list[dict[str, str]] = []
    items = list(parts)
    i = 0
    while i < len(items):
        part = items[i]
        if part == WORKBENCH:
            if getattr(user, "is_authenticated", False):
                crumbs.append(
                    {"label": WORKBENCH_LABELS[user.role], "url": reverse("accounts:workbench")}
                )
            i += 1
        elif i == len(items) - 1:
            crumbs.append({"label": str(part), "url": ""})
            i += 1
        else:
            crumbs.append({"label": str(part), "url": _address(str(items[i + 1]))})
            i += 2
    return {"crumbs": crumbs}


def _address(target: str) -> str:
    if target.startswith("/"):
        return target
    try:
        return reverse(target)
    except NoReverseMatch:
        return ""
