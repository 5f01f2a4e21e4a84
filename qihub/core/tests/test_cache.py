"""The shared cache without Redis (qihub.core.cache): exact counts when processes count at once
(django-ratelimit's windows, the statistics generation), and a counter keeps its lifetime."""

import threading

import pytest
from django.db import connection

from qihub.core.cache import DatabaseCache


@pytest.mark.django_db(transaction=True)
def test_concurrent_increments_are_all_counted_and_the_counter_keeps_its_lifetime():
    cache = DatabaseCache("qihub_cache", {})
    cache.clear()
    cache.add("generation", 0, timeout=None)
    cache.add("window", 0, timeout=60)
    errors: list[Exception] = []

    def bump() -> None:
        try:
            for _ in range(20):
                cache.incr("generation")
                cache.incr("window", 2)
        except Exception as exc:  # collected: an assertion in a thread would be lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert cache.get("generation") == 80
    assert cache.get("window") == 160
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM qihub_cache WHERE cache_key = ':1:generation'")
        (expires,) = cursor.fetchone()
    # "For ever" (timeout None) is still for ever after the increments, not five minutes.
    assert str(expires).startswith("9999")
    with pytest.raises(ValueError):
        cache.incr("missing")
    cache.clear()


@pytest.mark.django_db
def test_set_many_writes_every_key_in_a_few_statements_and_overwrites_old_values():
    from django.test.utils import CaptureQueriesContext

    cache = DatabaseCache("qihub_cache", {})
    cache.set("a", "old", timeout=60)
    with CaptureQueriesContext(connection) as ctx:
        failed = cache.set_many({f"k{i}": i for i in range(8)} | {"a": "new"}, timeout=None)

    assert failed == []
    assert cache.get_many(["a", "k0", "k7"]) == {"a": "new", "k0": 0, "k7": 7}
    # One count, one delete, one insert (and the savepoint pair of the test's transaction).
    assert len(ctx.captured_queries) <= 5
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM qihub_cache WHERE cache_key = ':1:k3'")
        (expires,) = cursor.fetchone()
    assert str(expires).startswith("9999")
    cache.clear()
