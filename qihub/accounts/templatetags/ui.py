"""Small pieces of the page shell that many templates share. They live in accounts because
they read the role's navigation and groups (ADR 0001: core stays below accounts)."""

import re
from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse

from qihub.accounts.navigation import WORKBENCH_LABELS, reverse_once
from qihub.accounts.roles import (
    ALL_STAFF,
    BACK_OFFICE,
    CLIENTS,
    HANDLERS,
    INSTITUTIONS,
    STATION_STAFF,
)

register = template.Library()


@register.simple_tag
def shell_url(url_name: str) -> str:
    """`{% url %}` for the page shell's fixed links (no arguments), reversed once per process
    rather than on every page (issue 23: 13 of them were a quarter of the anonymous floor)."""
    return reverse_once(url_name)


@register.simple_tag
def shell_static(path: str) -> str:
    """`{% static %}` for the page shell's assets, looked up once per process."""
    return _static(path)


@lru_cache(maxsize=64)
def _static(path: str) -> str:
    return static(path)


@receiver(setting_changed)
def _forget_static(setting: str, **kwargs: object) -> None:
    # Tests that change where assets are served from must see the new addresses.
    if setting in {"STATIC_URL", "STORAGES", "STATIC_ROOT"}:
        _static.cache_clear()


# Stands for the signed-in user's own workbench (its label follows the role); visitors have none.
WORKBENCH = "@workbench"
# A record's list depends on who looks: the client's own, the institution's received, the
# staff's queue. Each token takes one place in the trail; a role with no such list gets none.
ROLE_LISTS: dict[str, list[tuple[frozenset[str], str, str]]] = {
    "@list:complaints": [
        (CLIENTS, "我的投诉", "complaints:mine"),
        (INSTITUTIONS, "转交本机构的投诉", "complaints:institution"),
        (BACK_OFFICE, "投诉处理", "complaints:queue"),
    ],
    "@list:orders": [
        (CLIENTS, "我的订单", "orders:mine"),
        (INSTITUTIONS, "收到的订单", "orders:institution"),
        (ALL_STAFF, "订单进度", "orders:staff"),
    ],
    "@list:demands": [
        (CLIENTS, "我的需求", "demands:mine"),
        (INSTITUTIONS, "收到的需求", "demands:institution"),
        (ALL_STAFF, "需求响应与推荐", "demands:queue"),
    ],
    "@list:agency": [
        (CLIENTS, "我的代办", "agency:mine"),
        (STATION_STAFF, "代办事项", "agency:queue"),
    ],
    "@list:packages": [
        (CLIENTS, "我的定制服务", "packages:mine"),
        (HANDLERS, "定制服务方案", "packages:queue"),
    ],
    "@list:pooling": [
        (CLIENTS, "批量报价", "pooling:offers"),
        (INSTITUTIONS, "批量委托", "pooling:institution"),
        (ALL_STAFF, "打包批次", "pooling:batches"),
    ],
    "@list:qualification_changes": [
        (INSTITUTIONS, "资质与能力范围", "institutions:my_qualifications"),
        (BACK_OFFICE, "资质变更审核", "institutions:change_queue"),
    ],
}


@register.inclusion_tag("ui/breadcrumbs.html", takes_context=True)
def breadcrumbs(context: template.Context, *parts: object) -> dict:
    """The trail from the home page to this one:
    `{% breadcrumbs "@workbench" "投诉处理" "complaints:list" complaint.number %}` —
    label/address pairs (a URL name or a path), then the current page's label. "@workbench"
    and the "@list:…" tokens take one place each and become the user's own links."""
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
        elif part in ROLE_LISTS:
            role = getattr(user, "role", None)
            crumbs.extend(
                {"label": label, "url": reverse(name)}
                for roles, label, name in ROLE_LISTS[str(part)]
                if role in roles
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


# The five seed standards by the short codes the code and docs use (docs/requirements.md); a
# page cites them by their numbers, which is what a reader can look up.
SEED_NUMBERS = {
    "TZ": "DB3212/T 1033",
    "WX": "DB3202/T 1063",
    "QHD": "DB1303/T 329",
    "LYG": "DB3207/T 2018",
    "SJ": "DB31117/Z 020",
}
SEED_CODE = re.compile(r"(?<![A-Za-z])(" + "|".join(SEED_NUMBERS) + r")(?![A-Za-z])")


@register.filter
def cite(text: str) -> str:
    """'TZ 6.1.2, WX 7.1.1.5' → 'DB3212/T 1033 6.1.2, DB3202/T 1063 7.1.1.5'."""
    return SEED_CODE.sub(lambda m: SEED_NUMBERS[m.group(1)], str(text or ""))
