"""Generation counters: a number in the cache that names the current version of some cached
content. Cache keys include it; bumping it forgets every copy at once, without finding them."""

from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save


def on_save_or_delete(
    models: Iterable[str | type[Model]], receiver: Callable[..., None], name: str
) -> None:
    """Call `receiver` whenever a row of one of `models` is saved or deleted: how a cache keyed
    on a generation learns that its inputs changed. Connected per model, never for every model:
    a delete receiver for all models would cost every bulk delete in the portal its fast path."""
    for model in models:
        label = model if isinstance(model, str) else model._meta.label
        post_save.connect(receiver, sender=model, dispatch_uid=f"{name}-save-{label}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{name}-delete-{label}")


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
        in_transaction, waiting = waiting_for_commit(lambda func: func == self._bump_after_commit)
        if not in_transaction:
            self._bump_now()  # autocommit: the write is already committed; once is enough
            return
        if waiting is not None:
            return
        self._bump_now()
        transaction.on_commit(self._bump_after_commit)


def waiting_for_commit(match: Callable[[Any], bool]) -> tuple[bool, Any]:
    """Whether the caller writes inside a transaction that will commit later, and the callback
    `match` accepts that already waits for that commit (None if none does): for work done once
    per transaction after its commit (`Generation.bump`, `notifications.outbox.forget_unread`).

    The transaction is the outermost atomic block, or under a test case's own blocks (a
    transaction that never commits) the first one below them: each request's. Django keeps each
    callback with the savepoints open when it was registered, and drops it if one of them is
    rolled back."""
    connection = transaction.get_connection()
    first = next(
        (
            i
            for i, block in enumerate(connection.atomic_blocks)
            if not getattr(block, "_from_testcase", False)
        ),
        None,
    )
    if first is None:
        return False, None
    sid = connection.savepoint_ids[first - 1] if first else None
    if first and sid is None:
        return True, None  # a block without its own savepoint: not told apart
    waiting = next(
        (
            func
            for sids, func, _robust in connection.run_on_commit
            if match(func) and (not first or sid in sids)
        ),
        None,
    )
    return True, waiting
