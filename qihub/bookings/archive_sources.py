"""This app's records in the enterprise quality archive (ARC-1, `qihub.archive.registry`)."""

from qihub.accounts.models import User
from qihub.archive.registry import Record, record, source
from qihub.bookings.models import Booking


@source("bookings", "预约", order=60)
def bookings(account: User) -> list[Record]:
    rows = Booking.objects.filter(user=account).select_related("resource")
    return [
        record(
            "bookings",
            f"{b.resource.name}（{b.get_purpose_display()}）",
            b.created_at,
            status=b.get_status_display(),
            number=b.number,
            events=b.events.select_related("by__organisation"),
            created="提交预约",
        )
        for b in rows
    ]
