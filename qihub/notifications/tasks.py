import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from qihub.notifications.outbox import deliver_pending


@db_task(retries=3, retry_delay=30)
def deliver_notifications() -> int:
    return deliver_pending().sent


@db_periodic_task(crontab(minute="*"))
def deliver_notifications_every_minute() -> None:
    # Catches rows held back by quiet hours or retries, and anything a lost enqueue missed.
    deliver_pending()


logger = logging.getLogger(__name__)


def enqueue_delivery() -> None:
    """Wake a worker once the outbox rows are committed. If the queue (Redis) is down, the rows
    wait in the outbox and the every-minute delivery sends them when it is back: the change that
    caused them has already committed and its page must not turn into an error (B9)."""
    try:
        deliver_notifications()
    except Exception as exc:  # any queue backend error: the outbox row is the record
        logger.warning("notification delivery not enqueued, the outbox keeps it: %s", exc)
