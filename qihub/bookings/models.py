"""One booking mechanism (ORD-3; ADR 0013): a generic bookable `Resource` — a station window or an
institution's appointment service now, an instrument or an open lab later — with its policy, and
the `Booking` of a slot of it. No two active bookings of one resource overlap, on either engine."""

from django.db import models
from django.utils import timezone

from qihub.accounts.models import Organisation, Station, User
from qihub.core.models import Event
from qihub.stations.models import WEEKDAYS


class ResourceKind(models.TextChoices):
    STATION = "station", "站点窗口"
    INSTITUTION = "institution", "机构预约服务"
    LAB = "lab", "实验室"
    INSTRUMENT = "instrument", "仪器"


class Resource(models.Model):
    """Something that can be booked by the slot. Exactly one owner is set; the kind says which.
    Instruments and labs add kinds (and an owner) without changing bookings."""

    kind = models.CharField("资源类型", max_length=16, choices=ResourceKind.choices)
    name = models.CharField("名称", max_length=100)
    station = models.OneToOneField(
        Station,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="booking_resource",
        verbose_name="站点",
    )
    # A foreign key, not one-to-one: an institution owns its appointment service and any number
    # of instruments (INS-1) and labs (INS-2); the kind tells them apart, and the owner is what
    # `workflow.runs` and `staff_of` read.
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="booking_resources",
        verbose_name="机构",
    )
    # --- the policy ------------------------------------------------------------------------
    slot_minutes = models.PositiveIntegerField("时段长度（分钟）", default=30)
    min_slots = models.PositiveIntegerField("最少连续时段", default=1)
    max_slots = models.PositiveIntegerField("最多连续时段", default=2)
    horizon_days = models.PositiveIntegerField("可预约天数", default=14)
    max_future = models.PositiveIntegerField("每人未来预约上限", default=3)
    gap_minutes = models.PositiveIntegerField("预约间隔（分钟）", default=0)
    per_day = models.PositiveIntegerField("每人每日预约上限", default=1)
    needs_approval = models.BooleanField("需要审批", default=False)

    class Meta:
        verbose_name = "预约资源"
        verbose_name_plural = "预约资源"

    def __str__(self) -> str:
        return self.name


class WeeklyHour(models.Model):
    """An institution's simple weekly hours (a station's window uses the station's periods)."""

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="hours", verbose_name="资源"
    )
    weekday = models.PositiveSmallIntegerField("星期", choices=WEEKDAYS)
    opens = models.TimeField("开始时间")
    closes = models.TimeField("结束时间")

    class Meta:
        verbose_name = "预约时段"
        verbose_name_plural = "预约时段"
        ordering = ["weekday", "opens"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", "待确认"
    CONFIRMED = "confirmed", "已确认"
    CHECKED_IN = "checked_in", "已签到"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已取消"
    NO_SHOW = "no_show", "未到"
    REFUSED = "refused", "未通过"


# The statuses that hold the slot: the exclusion constraint's condition and the overlap check.
ACTIVE = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED, BookingStatus.CHECKED_IN)


class Purpose(models.TextChoices):
    CONSULT = "consult", "咨询"
    SAMPLE = "sample", "送样"
    REPORT = "report", "取报告"
    RENT = "rent", "使用实验室"
    # An instrument's purposes (INS-1): send a sample, or operate it yourself (needs a permit).
    TEST = "test", "送样检测"
    OPERATE = "operate", "自主上机"


class Booking(models.Model):
    number = models.CharField("预约编号", max_length=30, unique=True)
    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="bookings", verbose_name="资源"
    )
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="bookings", verbose_name="预约人"
    )
    start = models.DateTimeField("开始时间")
    end = models.DateTimeField("结束时间")
    purpose = models.CharField("事由", max_length=10, choices=Purpose.choices)
    order = models.ForeignKey(
        "orders.Order",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings",
        verbose_name="关联订单",
    )
    demand = models.ForeignKey(
        "demands.Demand",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings",
        verbose_name="关联需求",
    )
    status = models.CharField(
        "状态", max_length=12, choices=BookingStatus.choices, default=BookingStatus.REQUESTED
    )
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    reminded_at = models.DateTimeField("提醒时间", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "预约"
        verbose_name_plural = "预约"
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["resource", "start"])]
        # The no-overlap exclusion constraint is added by migration 0002 on PostgreSQL only
        # (SQLite cannot express it); see ADR 0013.

    def __str__(self) -> str:
        return self.number


class BookingEvent(Event):
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        verbose_name = "预约记录"
        verbose_name_plural = "预约记录"
