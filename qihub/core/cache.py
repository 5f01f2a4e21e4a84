"""The platform's two cache backends: the shared database cache of embedded mode and the
fail-soft Redis cache of scale mode.

Redis (scale mode) degrades instead of failing (B9, Redis down).

Everything the platform keeps in the cache can be recomputed (search index parts, statistics,
rate-limit counters, the requests-per-hour counter), so a Redis outage must cost speed, not
pages: every read answers "not cached" and every write is dropped, with one warning in the log
per minute.
The rate limits then let requests through (RATELIMIT_FAIL_OPEN): a closed search for everyone
would be worse than an unlimited one for the minutes Redis is away.

Without Redis (embedded mode) the cache is Django's database cache, shared by every
process serving the same database, with an atomic `incr`.

Django's own `DatabaseCache.incr` reads, adds and writes back in two statements, so two
processes counting at once lose a count (django-ratelimit refuses it for that reason, check
E003), and it writes the value back with the default timeout, so a counter meant to live for
ever (the statistics generation) expired after five minutes. Here the row is locked for the
read and only its value is rewritten. The table is created by a migration of `qihub.core`,
so every `migrate` (`make run`, `qihub serve`'s set-up, a restore, the tests) has it.
"""

import base64
import datetime as dt
import functools
import inspect
import logging
import pickle
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connections, router, transaction
from django.utils import timezone
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# During an outage every request meets the error, several times: one warning per interval
# says Redis is away without burying the rest of the log.
WARNING_INTERVAL = 60.0
_last_warning = -WARNING_INTERVAL
_warning_lock = threading.Lock()


def _warn(operation: str, exc: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    with _warning_lock:
        if now - _last_warning < WARNING_INTERVAL:
            return
        _last_warning = now
    logger.warning(
        "cache unavailable (%s): %s; further cache errors muted for %d s",
        operation,
        exc,
        WARNING_INTERVAL,
    )


def _incr_missing(arguments: dict[str, Any]) -> int:
    # What the cache API answers for a missing key: callers already handle it.
    raise ValueError("缓存不可用")


# What each cache method answers when Redis fails, from its bound arguments: reads miss,
# writes are dropped (set_many names every key as not stored), incr behaves as for a missing key.
FALLBACKS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "add": lambda arguments: False,
    "get": lambda arguments: arguments["default"],
    "set": lambda arguments: None,
    "touch": lambda arguments: False,
    "delete": lambda arguments: False,
    "get_many": lambda arguments: {},
    "has_key": lambda arguments: False,
    "incr": _incr_missing,
    "set_many": lambda arguments: list(arguments["data"]),
    "delete_many": lambda arguments: None,
    "clear": lambda arguments: None,
}


def _fail_soft(name: str, fallback: Callable[[dict[str, Any]], Any]) -> Callable[..., Any]:
    method = getattr(RedisCache, name)
    signature = inspect.signature(method)

    @functools.wraps(method)
    def wrapper(self: RedisCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except RedisError as exc:
            _warn(name, exc)
            bound = signature.bind(self, *args, **kwargs)
            bound.apply_defaults()
            return fallback(bound.arguments)

    return wrapper


class FailSoftRedisCache(RedisCache):
    """Django's Redis cache; a Redis error reads as a miss and a write as dropped (FALLBACKS).

    The methods Django builds on these (get_or_set, decr, incr_version…) inherit the behaviour."""


for _name, _fallback in FALLBACKS.items():
    setattr(FailSoftRedisCache, _name, _fail_soft(_name, _fallback))


class DatabaseCache(DjangoDatabaseCache):
    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        """Django's `add` of a key that is there counts the table, takes the write lock and
        tries an insert that fails (five queries): every rate-limited request (django-ratelimit
        adds its window's key, then counts) paid it, the search page included (issue 23). A
        key that is there and alive is answered by one read; otherwise Django's add, which
        settles a race the read lost."""
        if self.has_key(key, version=version):
            return False
        return super().add(key, value, timeout, version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        made_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        # On SQLite the transaction starts IMMEDIATE (settings), which already holds the one
        # write lock; PostgreSQL needs the row lock. Inside a writer's transaction no savepoint
        # of its own (two queries saved per count; issue 22/23): nothing in the block is caught
        # and continued from, a missing key is reported after the block.
        with transaction.atomic(using=db, savepoint=False), connection.cursor() as cursor:
            if connection.features.has_select_for_update:
                cursor.execute(
                    f"SELECT cache_key FROM {table} WHERE cache_key = %s FOR UPDATE",  # noqa: S608
                    [made_key],
                )
            value = self.get(key, self._missing_key, version=version)
            if value is not self._missing_key:
                new_value = value + delta
                pickled = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol))
                cursor.execute(
                    f"UPDATE {table} SET value = %s WHERE cache_key = %s",  # noqa: S608
                    [pickled.decode("latin1"), made_key],
                )
        if value is self._missing_key:
            raise ValueError(f"Key '{made_key}' not found")
        return new_value

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> list:
        """Django's version sets one key at a time, each a count of the table, a read and a
        write (and a savepoint inside a transaction): a recommendation's term counts cost
        forty-odd queries (issue 22/23, write pages). Here: one count, one delete, one insert.
        Like Django's, a failed write is reported back (as the keys), never raised."""
        if len(data) < 2:
            return super().set_many(data, timeout, version)
        made = {self.make_and_validate_key(key, version=version): v for key, v in data.items()}
        backend_timeout = self.get_backend_timeout(timeout)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        now = timezone.now().replace(microsecond=0)
        if backend_timeout is None:
            expires = dt.datetime.max
        else:
            expires = dt.datetime.fromtimestamp(
                backend_timeout, tz=dt.UTC if settings.USE_TZ else None
            )
        expires = connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))
        rows = [
            (
                key,
                base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1"),
                expires,
            )
            for key, value in made.items()
        ]
        marks = ", ".join(["%s"] * len(made))
        try:
            with transaction.atomic(using=db), connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
                count = cursor.fetchone()[0]
                if count > self._max_entries:
                    self._cull(db, cursor, now, count)
                cursor.execute(f"DELETE FROM {table} WHERE cache_key IN ({marks})", list(made))  # noqa: S608
                cursor.executemany(
                    f"INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s)",  # noqa: S608
                    rows,
                )
        except DatabaseError:
            return list(data)
        return []
