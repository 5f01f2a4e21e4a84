"""A database or Redis outage seen from a browser and an app (B9): 503 in Chinese with
Retry-After, never a traceback or a 500; with Redis gone pages still answer and notifications
wait in the outbox."""

import pytest
from django.db import OperationalError, connection
from django.test import Client

from qihub.notifications.models import Channel, Notification
from qihub.notifications.outbox import deliver_pending

DEAD_REDIS = "unix:///nonexistent/qihub-fault/redis.sock"


def refuse_every_query(execute, sql, params, many, context):
    raise OperationalError("connection to server failed: No such file or directory")


@pytest.fixture
def database_down():
    with connection.execute_wrapper(refuse_every_query):
        yield


@pytest.mark.req("OPS-1")
@pytest.mark.django_db
def test_a_page_answers_503_in_chinese_with_retry_after_when_the_database_is_down(
    enterprise, client_as
):
    client = client_as(enterprise)
    client.raise_request_exception = False
    with connection.execute_wrapper(refuse_every_query):
        response = client.get("/accounts/workbench/")

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    body = response.content.decode()
    assert "服务暂时不可用，请稍后再试" in body
    assert "Traceback" not in body and "OperationalError" not in body


@pytest.mark.req("OPS-1")
@pytest.mark.django_db
def test_the_api_answers_503_json_when_the_database_is_down(database_down):
    response = Client(raise_request_exception=False).get("/api/v1/training/events")

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response.json() == {"detail": "服务暂时不可用，请稍后再试"}


@pytest.mark.req("OPS-1")
@pytest.mark.django_db
def test_healthz_answers_503_not_a_crash_when_the_database_is_down(database_down):
    response = Client(raise_request_exception=False).get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"]["status"] == "error"


@pytest.fixture
def redis_down(settings):
    """Scale mode's cache pointed at a Redis that is not running."""
    settings.CACHES = {
        "default": {
            "BACKEND": "qihub.core.cache.FailSoftRedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    settings.RATELIMIT_ENABLE = True


@pytest.mark.req("OPS-1")
@pytest.mark.django_db
def test_a_rate_limited_page_still_answers_with_redis_down(redis_down):
    response = Client(raise_request_exception=False).get("/search/", {"q": "计量"})

    assert response.status_code == 200
    assert "计量" in response.content.decode()


@pytest.mark.req("OPS-1")
@pytest.mark.django_db(transaction=True)
def test_a_notification_waits_in_the_outbox_while_the_queue_is_down(
    redis_down, operator, client_as, monkeypatch
):
    from redis.exceptions import ConnectionError as RedisConnectionError

    from qihub.notifications import tasks

    def queue_down() -> None:
        raise RedisConnectionError(f"Error connecting to {DEAD_REDIS}")

    monkeypatch.setattr(tasks, "deliver_notifications", queue_down)
    operator.email = "operator@demo.invalid"
    operator.save(update_fields=["email"])
    client = client_as(operator)
    client.raise_request_exception = False

    response = client.post("/ops/notifications/test/")

    assert response.status_code == 302
    mail = Notification.objects.get(recipient=operator, channel=Channel.EMAIL)
    assert mail.sent_at is None
    # The queue is back: the every-minute delivery sends what waited, once.
    assert deliver_pending().sent == 1
    mail.refresh_from_db()
    assert mail.sent_at is not None and mail.attempts == 1
    assert deliver_pending().sent == 0
