"""The reminder the day before a booking (ORD-3), sent within working hours: the daily task runs
in the morning and the notifications outbox holds anything outside working hours until then."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from qihub.bookings.models import Booking, BookingStatus
from qihub.notifications.outbox import notify
from qihub.workcal.calendar import TZ


def remind_tomorrow(now: dt.datetime | None = None) -> int:
    """Remind every confirmed booking of tomorrow once; returns how many were reminded."""
    now = now or timezone.now()
    tomorrow = now.astimezone(TZ).date() + dt.timedelta(days=1)
    start = dt.datetime.combine(tomorrow, dt.time(0), TZ)
    rows = Booking.objects.filter(
        status=BookingStatus.CONFIRMED,
        reminded_at__isnull=True,
        start__gte=start,
        start__lt=start + dt.timedelta(days=1),
    ).select_related("resource", "user")
    sent = 0
    for booking in rows:
        with transaction.atomic():
            # Marked in the same transaction as the notification: a rerun never sends twice.
            if not Booking.objects.filter(pk=booking.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            local = booking.start.astimezone(TZ)
            notify(
                [booking.user],
                "预约提醒",
                f"您预约了明天 {local:%H:%M} 在{booking.resource.name}办理"
                f"{booking.get_purpose_display()}（预约编号 {booking.number}），请按时到达。",
                dedupe_key=f"booking-reminder-{booking.pk}",
                now=now,
            )
            sent += 1
    return sent
