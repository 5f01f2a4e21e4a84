"""Generation counters: a number in the cache that names the current version of some cached
content. Cache keys include it; bumping it forgets every copy at once, without finding them."""

from typing import Any

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

    def _bump_now(self) -> None:
        try:
            cache.incr(self.key)
        except ValueError:
            cache.add(self.key, 1, timeout=None)

    def _bump_after_commit(self) -> None:
        self._bump_now()

    def bump(self, **signal_kwargs: object) -> None:
        """Bumped at once (the writer's next read sees it) and again after commit (a reader that
        computed during the writer's transaction cached the old values). Usable as a receiver.

        Once per transaction, not once per saved row: one write saves a demand, its clocks and
        their events several times, and on embedded mode the cache is a database table, so each
        bump costs queries (issue 22/23, write pages). A bump already waiting for this
        transaction's commit covers every later one in it; if that part of the transaction is
        rolled back, Django drops the waiting bump and the next save registers a new one."""
        connection = transaction.get_connection()
        # The transaction is the outermost atomic block, or under a test case's own blocks (a
        # transaction that never commits) the first one below them: each request's.
        first = next(
            (
                i
                for i, block in enumerate(connection.atomic_blocks)
                if not getattr(block, "_from_testcase", False)
            ),
            None,
        )
        if first is None:
            self._bump_now()  # autocommit: the write is already committed; once is enough
            return
        if self._waiting(connection, first):
            return
        self._bump_now()
        transaction.on_commit(self._bump_after_commit)

    def _waiting(self, connection: Any, first: int) -> bool:
        """Whether the transaction opened by atomic block `first` already has our bump waiting
        for its commit. Django keeps each callback with the savepoints open when it was
        registered, and drops it if one of them is rolled back."""
        sid = connection.savepoint_ids[first - 1] if first else None
        if first and sid is None:
            return False  # a block without its own savepoint: not told apart, bump again
        return any(
            func == self._bump_after_commit and (not first or sid in sids)
            for sids, func, _robust in connection.run_on_commit
        )
