"""The home page's lists (通知公告, 热门服务, 服务站点) are the same for every visitor and were
computed on every view, the popular services by counting every order (issue 23). The template
caches them as fragments under `key()`, which changes when any of their inputs is saved or
deleted: orders through the statistics generation (their receivers already bump it), notices,
catalogue items, institutions' services and stations through the generation kept here."""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

GENERATION_KEY = "catalog:home-generation"
# A per-process cache (no Redis) cannot hear another process's save; this bounds the staleness.
FRAGMENT_SECONDS = 60
INPUTS = (
    "catalog.Notice",
    "catalog.ServiceItem",
    "institutions.InstitutionService",
    "accounts.Station",
)


def _generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY, 1)
    return int(value)


def key() -> str:
    from qihub.evaluations.statistics import generation

    return f"{_generation()}-{generation()}"


def inputs_changed(**kwargs: object) -> None:
    # Bumped now and after commit, as the statistics do: a read during the writer's transaction
    # may have cached the old lists under the new key.
    def bump() -> None:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            cache.add(GENERATION_KEY, 1, timeout=None)

    bump()
    transaction.on_commit(bump)


def watch() -> None:
    for model in INPUTS:
        post_save.connect(inputs_changed, sender=model, dispatch_uid=f"home-save-{model}")
        post_delete.connect(inputs_changed, sender=model, dispatch_uid=f"home-delete-{model}")
