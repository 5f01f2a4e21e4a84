"""The nav badge's unread count is kept per user for a few seconds (issue 23) but never shows
a figure from before a change to that user's inbox."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from qihub.notifications.outbox import notify

BADGE = 'data-testid="unread-count">{}<'


@pytest.fixture
def kept(settings):
    settings.QIHUB_UNREAD_CACHE_SECONDS = 5


def _counts_notifications(queries: list[dict]) -> int:
    return sum("notifications_notification" in q["sql"] for q in queries)


def test_the_badge_is_counted_once_then_read_from_the_cache(kept, client_as, enterprise):
    notify([enterprise], "第一条")
    client = client_as(enterprise)
    assert BADGE.format(1) in client.get("/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    assert BADGE.format(1) in page
    assert _counts_notifications(queries.captured_queries) == 0


def test_a_new_message_and_marking_read_show_at_once(
    kept, client_as, enterprise, other_enterprise, django_capture_on_commit_callbacks
):
    # Each write commits, as on a server (the test's own transaction never does).
    committed = django_capture_on_commit_callbacks
    client = client_as(enterprise)
    assert 'data-testid="unread-count"' not in client.get("/").content.decode()
    with committed(execute=True):
        notify([enterprise, other_enterprise], "新的消息")
    assert BADGE.format(1) in client.get("/").content.decode()
    with committed(execute=True):
        notify([enterprise], "又一条")
    assert BADGE.format(2) in client.get("/").content.decode()
    with committed(execute=True):
        client.post("/inbox/read/")
    assert 'data-testid="unread-count"' not in client.get("/").content.decode()
    # The other user's badge was not dropped by this user's reading.
    assert BADGE.format(1) in client_as(other_enterprise).get("/").content.decode()


def test_a_figure_counted_before_the_commit_is_dropped_by_it(
    kept, client_as, enterprise, django_capture_on_commit_callbacks
):
    client = client_as(enterprise)
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify([enterprise], "事务中的消息")
        # A page served before the write commits still shows the figure kept before it.
        assert 'data-testid="unread-count"' not in client.get("/").content.decode()
    assert BADGE.format(1) in client.get("/").content.decode()
