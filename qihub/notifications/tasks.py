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


def enqueue_delivery() -> None:
    deliver_notifications()
