from django.db import models

from qihub.accounts.models import Station


class TicketService(models.TextChoices):
    """What a visitor queues for at a station's window (STA-3)."""

    CONSULTATION = "consultation", "政策与业务咨询"
    SAMPLE = "sample", "送样与委托"
    REPORT = "report", "报告领取"
    OTHER = "other", "其他业务"


class QueueTicket(models.Model):
    """A queue number taken at a kiosk: numbered per station per day, with no personal data."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    day = models.DateField("日期")
    number = models.PositiveIntegerField("号码")
    service = models.CharField("办理业务", max_length=20, choices=TicketService.choices)
    taken_at = models.DateTimeField("取号时间")

    class Meta:
        verbose_name = "排队号"
        verbose_name_plural = "排队号"
        constraints = [
            models.UniqueConstraint(
                fields=["station", "day", "number"],
                name="ticket_number_per_station_day",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.number:03d}"
