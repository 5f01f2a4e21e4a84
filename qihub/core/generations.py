"""Generation counters: a number in the cache that names the current version of some cached
content. Cache keys include it; bumping it forgets every copy at once, without finding them."""

from django.core.cache import cache
from django.db import transaction


class Generation:
    def __init__(self, key: str) -> None:
        self.key = key

    def current(self) -> int:
        value = cache.get(self.key)
        if value is None:
            cache.add(self.key, 1, timeout=None)
            value = cache.get(self.key, 1)
        return int(value)

    def bump(self, **signal_kwargs: object) -> None:
        """Bumped at once (the writer's next read sees it) and again after commit (a reader that
        computed during the writer's transaction cached the old values). Usable as a receiver."""

        def bump_now() -> None:
            try:
                cache.incr(self.key)
            except ValueError:
                cache.add(self.key, 1, timeout=None)

        bump_now()
        transaction.on_commit(bump_now)
