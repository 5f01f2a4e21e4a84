"""The cache when there is no Redis (embedded mode): Django's database cache, shared by every
process serving the same database, with an atomic `incr`.

Django's own `DatabaseCache.incr` reads, adds and writes back in two statements, so two
processes counting at once lose a count (django-ratelimit refuses it for that reason, check
E003), and it writes the value back with the default timeout, so a counter meant to live for
ever (the statistics generation) expired after five minutes. Here the row is locked for the
read and only its value is rewritten. The table is created by a migration of `qihub.core`,
so every `migrate` (`make run`, `qihub serve`'s set-up, a restore, the tests) has it.
"""

import base64
import pickle
from typing import Any

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        made_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        # On SQLite the transaction starts IMMEDIATE (settings), which already holds the one
        # write lock; PostgreSQL needs the row lock.
        with transaction.atomic(using=db), connection.cursor() as cursor:
            if connection.features.has_select_for_update:
                cursor.execute(
                    f"SELECT cache_key FROM {table} WHERE cache_key = %s FOR UPDATE",  # noqa: S608
                    [made_key],
                )
            value = self.get(key, self._missing_key, version=version)
            if value is self._missing_key:
                raise ValueError(f"Key '{made_key}' not found")
            new_value = value + delta
            pickled = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol))
            cursor.execute(
                f"UPDATE {table} SET value = %s WHERE cache_key = %s",  # noqa: S608
                [pickled.decode("latin1"), made_key],
            )
        return new_value
