"""Write notifications (the outbox) and deliver them: quiet hours, retries, one delivery each."""

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.utils import timezone

from qihub.core.audit import reveal
from qihub.core.bulk import insert_rows
from qihub.core.generations import waiting_for_commit
from qihub.notifications.mail import NOTIFICATION_HEADER
from qihub.notifications.models import Channel, Notification
from qihub.notifications.sms import get_backend
from qihub.workcal.calendar import TZ, WorkCalendar
from qihub.workcal.services import load_calendar

logger = logging.getLogger(__name__)

WORK_STARTS, WORK_ENDS = dt.time(8, 0), dt.time(20, 0)
MAX_ATTEMPTS = 6


def next_send_time(now: dt.datetime, calendar: WorkCalendar) -> dt.datetime:
    """Now, if it is 08:00–20:00 on a working day; otherwise 08:00 of the next working day."""
    local = now.astimezone(TZ)
    if calendar.is_working_day(local.date()) and WORK_STARTS <= local.time() < WORK_ENDS:
        return now
    day = local.date()
    if not (calendar.is_working_day(day) and local.time() < WORK_STARTS):
        day += dt.timedelta(days=1)
        while not calendar.is_working_day(day):
            day += dt.timedelta(days=1)
    return dt.datetime.combine(day, WORK_STARTS, tzinfo=TZ)


def build_notifications(
    recipients: Iterable,
    subject: str,
    body: str = "",
    *,
    channels: Iterable[str] = (Channel.INBOX,),
    urgent: bool = False,
    dedupe_key: str = "",
    now: dt.datetime,
    calendar: WorkCalendar,
) -> list[Notification]:
    """Unsaved outbox rows; inbox rows count as delivered at once, others wait for working hours."""
    channels = list(channels)
    send_after = now if urgent else next_send_time(now, calendar)
    return [
        Notification(
            recipient=recipient,
            channel=channel,
            subject=subject[:200],
            body=body,
            urgent=urgent,
            dedupe_key=dedupe_key,
            send_after=now if channel == Channel.INBOX else send_after,
            sent_at=now if channel == Channel.INBOX else None,
        )
        for recipient in recipients
        for channel in channels
    ]


def queue_notifications(rows: list[Notification]) -> list[Notification]:
    """Save outbox rows in the caller's transaction; delivery is enqueued once it commits."""
    created = Notification.objects.bulk_create(
        rows, ignore_conflicts=any(row.dedupe_key for row in rows)
    )
    forget_unread(row.recipient_id for row in rows if row.channel == Channel.INBOX)
    if any(row.channel != Channel.INBOX for row in rows):
        from qihub.notifications.tasks import enqueue_delivery

        transaction.on_commit(enqueue_delivery)
    return created


# The outbox columns the bulk path writes, in order (the rest keep their defaults: no attempts,
# no error, unread, no dedupe key).
_ROW_COLUMNS = ("recipient_id", "channel", "subject", "body", "urgent", "created_at", "send_after")


def outbox_rows(
    recipient_ids: Iterable[int],
    subject: str,
    body: str,
    *,
    channels: Iterable[str],
    now: dt.datetime,
    send_after: dt.datetime,
) -> list[tuple]:
    """Outbox rows as plain tuples for `insert_outbox_rows`: what `build_notifications` makes, without
    a model instance per row (the clock sweep writes tens of thousands at once, issue 23)."""
    channels = list(channels)
    return [
        (
            rid,
            channel,
            subject[:200],
            body,
            False,
            now,
            now if channel == Channel.INBOX else send_after,
        )
        for rid in recipient_ids
        for channel in channels
    ]


def insert_outbox_rows(rows: list[tuple]) -> None:
    """Insert `outbox_rows` in one `executemany`, in the caller's transaction; delivery is
    enqueued once it commits. Inbox rows count as delivered at once, as in `build_notifications`."""
    if not rows:
        return
    insert_rows(
        Notification,
        [*_ROW_COLUMNS, "sent_at", "attempts", "last_error", "dedupe_key"],
        (
            (*row, row[5] if row[1] == Channel.INBOX else None, 0, "", "")
            for row in rows  # row[5]: created_at
        ),
    )
    forget_unread({row[0] for row in rows if row[1] == Channel.INBOX})
    if any(row[1] != Channel.INBOX for row in rows):
        from qihub.notifications.tasks import enqueue_delivery

        transaction.on_commit(enqueue_delivery)


def notify(
    recipients: Iterable,
    subject: str,
    body: str = "",
    *,
    channels: Iterable[str] = (Channel.INBOX,),
    urgent: bool = False,
    dedupe_key: str = "",
    now: dt.datetime | None = None,
    calendar: WorkCalendar | None = None,
) -> list[Notification]:
    """Queue notifications; call inside the transaction of the change that causes them."""
    rows = build_notifications(
        recipients,
        subject,
        body,
        channels=channels,
        urgent=urgent,
        dedupe_key=dedupe_key,
        now=now or timezone.now(),
        calendar=calendar or load_calendar(),
    )
    return queue_notifications(rows)


class DeliveryError(Exception):
    pass


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0


def _send(notification: Notification) -> None:
    recipient = notification.recipient
    if notification.channel == Channel.EMAIL:
        if not recipient.email:
            raise DeliveryError("收件人没有电子邮箱")
        message = EmailMessage(
            subject=notification.subject,
            body=notification.body,
            to=[recipient.email],
            headers={
                "Message-ID": f"<notification-{notification.pk}@qihub>",
                NOTIFICATION_HEADER: str(notification.pk),
            },
        )
        message.send()
    elif notification.channel == Channel.SMS:
        mobile = (
            reveal(recipient, "mobile", by=None, reason="短信通知发送")
            if recipient.mobile_cipher
            else ""
        )
        if not mobile:
            raise DeliveryError("收件人没有手机号码")
        text = f"【质量基础设施一站式服务平台】{notification.subject}"
        get_backend().send(mobile=mobile, text=text, notification_id=notification.pk)


def deliver_pending(now: dt.datetime | None = None, limit: int = 500) -> DeliveryResult:
    """Send what is due. Each row is claimed, sent and marked in one transaction, so a worker
    killed mid-way leaves the row unsent for the next run (the database-backed SMS outbox is
    therefore exactly-once; e-mail carries the notification id as Message-ID for de-duplication).
    """
    now = now or timezone.now()
    result = DeliveryResult()
    for _ in range(limit):
        with transaction.atomic():
            pending = Notification.objects.filter(
                sent_at__isnull=True, send_after__lte=now, attempts__lt=MAX_ATTEMPTS
            ).exclude(channel=Channel.INBOX)
            if connection.features.has_select_for_update_skip_locked:
                pending = pending.select_for_update(skip_locked=True)
            notification = pending.select_related("recipient").order_by("send_after", "id").first()
            if notification is None:
                break
            try:
                with transaction.atomic():
                    _send(notification)
            except Exception as exc:  # any provider failure is retried later, never lost
                notification.attempts += 1
                notification.last_error = str(exc)[:300]
                notification.send_after = now + dt.timedelta(minutes=2**notification.attempts)
                notification.save(update_fields=["attempts", "last_error", "send_after"])
                logger.warning("notification %s failed: %s", notification.pk, exc)
                result.failed += 1
                continue
            notification.attempts += 1
            notification.sent_at = timezone.now()
            notification.save(update_fields=["attempts", "sent_at"])
            result.sent += 1
    return result


def unread_count(user: Any) -> int:
    """The nav badge's figure. Every signed-in page shows it, so it is kept per user for
    QIHUB_UNREAD_CACHE_SECONDS (a cache read costs a tenth of the count query, issue 23) and
    dropped once a change to the user's inbox commits (`forget_unread`; the clock sweep's bulk
    insert too, one delete for all its recipients)."""
    seconds = settings.QIHUB_UNREAD_CACHE_SECONDS
    if not seconds:
        return _count_unread(user)
    key = _unread_key(user.pk)
    found = cache.get(key)
    if found is None:
        found = _count_unread(user)
        cache.set(key, found, seconds)
    return found


def forget_unread(user_ids: Iterable[int]) -> None:
    """Drop the kept badge figures of these users once the transaction commits (at once outside
    one): a reader counting before the commit still sees the old rows and may keep the old
    figure, so dropping any earlier would not do. One delete per transaction, however many
    notifications it writes (on embedded mode each cache write is a query)."""
    if not settings.QIHUB_UNREAD_CACHE_SECONDS:
        return  # nothing is kept
    keys = {_unread_key(pk) for pk in user_ids}
    if not keys:
        return
    in_transaction, waiting = waiting_for_commit(lambda func: isinstance(func, _Forget))
    if not in_transaction:
        cache.delete_many(sorted(keys))
        return
    if waiting is None:
        waiting = _Forget()
        transaction.on_commit(waiting)
    waiting.keys |= keys


class _Forget:
    """The keys one transaction's commit drops."""

    def __init__(self) -> None:
        self.keys: set[str] = set()

    def __call__(self) -> None:
        cache.delete_many(sorted(self.keys))


def _unread_key(user_id: int) -> str:
    return f"unread:{user_id}"


def _count_unread(user: Any) -> int:
    return Notification.objects.filter(
        recipient=user, channel=Channel.INBOX, read_at__isnull=True
    ).count()
