"""Queue numbers (取号): one sequence per station per day, starting at 1 (STA-3)."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from qihub.accounts.models import Station
from qihub.kiosk.models import QueueTicket
from qihub.workcal.calendar import TZ


def take(station: Station, service: str) -> QueueTicket:
    now = timezone.now()
    day = now.astimezone(TZ).date()
    # Two kiosks of one station may press at once: the unique constraint decides, we retry.
    for _ in range(5):
        last = QueueTicket.objects.filter(station=station, day=day).order_by("-number").first()
        try:
            with transaction.atomic():
                return QueueTicket.objects.create(
                    station=station,
                    day=day,
                    number=(last.number if last else 0) + 1,
                    service=service,
                    taken_at=now,
                )
        except IntegrityError:
            continue
    raise IntegrityError("queue number contention")
