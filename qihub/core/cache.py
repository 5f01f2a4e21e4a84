"""The platform's two cache backends: the shared database cache of embedded mode and the
fail-soft Redis cache of scale mode.

Redis (scale mode) degrades instead of failing (B9, Redis down).

Everything the platform keeps in the cache can be recomputed (search index parts, statistics,
rate-limit counters, the requests-per-hour counter), so a Redis outage must cost speed, not
pages: every read answers "not cached" and every write is dropped, with one warning in the log.
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
import logging
import pickle
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connections, router, transaction
from django.utils import timezone
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _warn(operation: str, exc: Exception) -> None:
    logger.warning("cache unavailable (%s): %s", operation, exc)


class FailSoftRedisCache(RedisCache):
    """Django's Redis cache; a Redis error reads as a miss and a write as dropped."""

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except RedisError as exc:
            _warn("add", exc)
            return False

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        try:
            return super().get(key, default, version)
        except RedisError as exc:
            _warn("get", exc)
            return default

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> None:
        try:
            super().set(key, value, timeout, version)
        except RedisError as exc:
            _warn("set", exc)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except RedisError as exc:
            _warn("touch", exc)
            return False

    def delete(self, key: Any, version: Any = None) -> bool:
        try:
            return super().delete(key, version)
        except RedisError as exc:
            _warn("delete", exc)
            return False

    def get_many(self, keys: Any, version: Any = None) -> dict:
        try:
            return super().get_many(keys, version)
        except RedisError as exc:
            _warn("get_many", exc)
            return {}

    def has_key(self, key: Any, version: Any = None) -> bool:
        try:
            return super().has_key(key, version)
        except RedisError as exc:
            _warn("has_key", exc)
            return False

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        try:
            return super().incr(key, delta, version)
        except RedisError as exc:
            _warn("incr", exc)
            # What the cache API answers for a missing key: callers already handle it.
            raise ValueError("缓存不可用") from exc

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> list:
        try:
            return super().set_many(data, timeout, version)
        except RedisError as exc:
            _warn("set_many", exc)
            return list(data)

    def delete_many(self, keys: Any, version: Any = None) -> None:
        try:
            super().delete_many(keys, version)
        except RedisError as exc:
            _warn("delete_many", exc)

    def clear(self) -> None:
        try:
            super().clear()
        except RedisError as exc:
            _warn("clear", exc)


class DatabaseCache(DjangoDatabaseCache):
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
