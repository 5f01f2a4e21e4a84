"""The home page's lists (通知公告, 热门服务, 服务站点) are the same for every visitor and were
computed on every view, the popular services by counting every order (issue 23). The template
caches them as fragments under `keys()`, which change when one of their inputs is saved or
deleted: notices, catalogue items, institutions' services and stations through the generation
kept here; orders (only the popular services count them) through the statistics generation,
sampled at most once per `POPULAR_REFRESH_SECONDS`.

Why sampled: every order bumps the statistics generation, so under a stream of orders the
fragments were recomputed on nearly every visit (the 200-user load run: 13 queries per home
page against 4 at rest). A ranking of the most-ordered services is not a live figure; it may
trail the orders by a minute. The notices never depended on orders at all."""

from django.core.cache import cache

from qihub.core.generations import Generation, on_save_or_delete

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


POPULAR_EPOCH_KEY = "catalog:popular-epoch"
POPULAR_REFRESH_SECONDS = 60


def keys() -> dict[str, str]:
    """The fragments' cache keys: `notices` for the notices, `lists` for categories, popular
    services and stations."""
    from qihub.evaluations.statistics import generation

    home = HOME_GENERATION.current()
    orders = cache.get_or_set(POPULAR_EPOCH_KEY, generation, POPULAR_REFRESH_SECONDS)
    return {"notices": str(home), "lists": f"{home}-{orders}"}


def inputs_changed(**kwargs: object) -> None:
    HOME_GENERATION.bump()


def watch() -> None:
    on_save_or_delete(INPUTS, inputs_changed, "home")
