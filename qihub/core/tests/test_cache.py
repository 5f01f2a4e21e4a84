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


def test_every_method_of_the_redis_cache_answers_a_miss_or_drops_the_write_when_redis_is_down(
    caplog, monkeypatch
):
    from qihub.core import cache as cache_module
    from qihub.core.cache import FALLBACKS, FailSoftRedisCache

    monkeypatch.setattr(cache_module, "_last_warning", -cache_module.WARNING_INTERVAL)
    cache = FailSoftRedisCache(
        "unix:///nonexistent/qihub-cache-test/redis.sock",
        {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2}},
    )
    caplog.set_level("WARNING", logger="qihub.core.cache")

    assert cache.get("k") is None
    assert cache.get("k", "standard") == "standard"
    assert cache.get_or_set("k", 5) == 5  # built on add and get: inherits the behaviour
    assert cache.add("k", 1) is False
    assert cache.set("k", 1) is None
    assert cache.touch("k") is False
    assert cache.delete("k") is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("k") is False
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.delete_many(["a"]) is None
    assert cache.clear() is None
    with pytest.raises(ValueError, match="缓存不可用"):
        cache.incr("k")
    with pytest.raises(ValueError, match="缓存不可用"):
        cache.decr("k")

    assert set(FALLBACKS) == {
        "add",
        "get",
        "set",
        "touch",
        "delete",
        "get_many",
        "has_key",
        "incr",
        "set_many",
        "delete_many",
        "clear",
    }
    warnings = [r for r in caplog.records if r.name == "qihub.core.cache"]
    assert len(warnings) == 1  # one per interval, not one per call
    assert "cache unavailable" in warnings[0].getMessage()


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


@pytest.mark.django_db
def test_add_of_a_live_key_is_one_read_and_of_a_missing_or_expired_key_stores_it():
    import time_machine
    from django.test.utils import CaptureQueriesContext

    cache = DatabaseCache("qihub_cache", {})
    with time_machine.travel("2026-06-01 10:00:00+00:00", tick=False) as clock:
        assert cache.add("window", 0, timeout=60) is True
        with CaptureQueriesContext(connection) as ctx:
            again = cache.add("window", 5, timeout=60)
        assert again is False and cache.get("window") == 0
        assert len(ctx.captured_queries) == 1  # rate-limited requests pay this on every request
        clock.shift(61)
        assert cache.add("window", 7, timeout=60) is True  # the expired window starts again
        assert cache.get("window") == 7
    cache.clear()
