"""The home page's lists (通知公告, 热门服务, 服务站点) are the same for every visitor and were
computed on every view, the popular services by counting every order (issue 23). The template
caches them as fragments under `key()`, which changes when any of their inputs is saved or
deleted: orders through the statistics generation (their receivers already bump it), notices,
catalogue items, institutions' services and stations through the generation kept here."""

from django.db.models.signals import post_delete, post_save

from qihub.core.generations import Generation

GENERATION_KEY = "catalog:home-generation"
HOME_GENERATION = Generation(GENERATION_KEY)
# Bulk updates send no signal; this bounds how long they go unseen.
FRAGMENT_SECONDS = 60
INPUTS = (
    "catalog.Notice",
    "catalog.ServiceItem",
    "institutions.InstitutionService",
    "accounts.Station",
)


def key() -> str:
    from qihub.evaluations.statistics import generation

    return f"{HOME_GENERATION.current()}-{generation()}"


def inputs_changed(**kwargs: object) -> None:
    HOME_GENERATION.bump()


def watch() -> None:
    for model in INPUTS:
        post_save.connect(inputs_changed, sender=model, dispatch_uid=f"home-save-{model}")
        post_delete.connect(inputs_changed, sender=model, dispatch_uid=f"home-delete-{model}")
