"""Full agency (全程代办, DEM-11): an entrustment (委托书) signed by the client, the items it
entrusts to a station staff member (the agent), the authority it grants and the steps taken."""

import datetime as dt

from django.db import models

from qihub.accounts.models import Document, Station, User
from qihub.accounts.roles import BACK_OFFICE, STATION_STAFF
from qihub.catalog.models import ServiceItem
from qihub.core.models import Event
from qihub.orders.models import Order


class Authority(models.TextChoices):
    """What the client authorises the agent to do; each step kind needs its authority."""

    SUBMIT = "submit", "代为提交申请"
    SAMPLE = "sample", "代为送样"
    PAY = "pay", "代为缴费确认"
    COLLECT = "collect", "代为领取证书报告"
    LIAISE = "liaise", "代为沟通机构"


class EntrustmentStatus(models.TextChoices):
    SIGNING = "signing", "待委托人签署"
    ACTIVE = "active", "代办中"
    DONE = "done", "已办结"
    WITHDRAWN = "withdrawn", "委托人已撤回"


class SignedBy(models.TextChoices):
    ONLINE = "online", "在线签署（动态口令确认）"
    PAPER = "paper", "纸质签署（上传签字盖章件）"


class ItemStatus(models.TextChoices):
    OPEN = "open", "办理中"
    CLOSED = "closed", "已办结"
    STOPPED = "stopped", "已终止（委托撤回）"


class EntrustmentQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "EntrustmentQuerySet":
        """The client sees their own, the agent theirs, station staff their station's, the back
        office all."""
        if not user.is_authenticated:
            return self.none()
        if user.role in BACK_OFFICE:
            return self
        if user.role in STATION_STAFF:
            return self.filter(models.Q(agent=user) | models.Q(station_id=user.station_id))
        return self.filter(client=user)


class Entrustment(models.Model):
    number = models.CharField("委托书编号", max_length=20, unique=True)
    client = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="entrustments", verbose_name="委托人"
    )
    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="+", verbose_name="受托站点"
    )
    agent = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="agencies", verbose_name="受托代办人"
    )
    authorities = models.JSONField("授权范围", default=list)
    handed_over = models.TextField("移交材料清单", blank=True)
    documents = models.ManyToManyField(Document, blank=True, related_name="+")
    period_from = models.DateField("委托期限起")
    period_to = models.DateField("委托期限止")
    status = models.CharField(
        "状态", max_length=12, choices=EntrustmentStatus.choices, default=EntrustmentStatus.SIGNING
    )
    signed_by = models.CharField("签署方式", max_length=8, choices=SignedBy.choices, blank=True)
    signed_at = models.DateTimeField("签署时间", null=True, blank=True)
    signed_scan = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_reason = models.CharField("撤回原因", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间")
    version = models.PositiveIntegerField(default=0)

    objects = EntrustmentQuerySet.as_manager()

    class Meta:
        verbose_name = "代办委托书"
        verbose_name_plural = "代办委托书"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number

    def authority_labels(self) -> list[str]:
        return [Authority(a).label for a in self.authorities if a in Authority.values]

    def in_period(self, day: dt.date) -> bool:
        return self.period_from <= day <= self.period_to


class EntrustedItem(models.Model):
    entrustment = models.ForeignKey(
        Entrustment, on_delete=models.CASCADE, related_name="items", verbose_name="委托书"
    )
    service = models.ForeignKey(
        ServiceItem, on_delete=models.PROTECT, related_name="+", verbose_name="服务事项"
    )
    task = models.CharField("代办内容", max_length=300)
    order = models.ForeignKey(
        Order,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="关联订单",
    )
    # An item has no status of its own (ADR 0009: statuses move only in the workflow): it is
    # closed when its collect step recorded the time, stopped when the entrustment was withdrawn.
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "委托事项"
        verbose_name_plural = "委托事项"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.service.name}：{self.task}"

    @property
    def status(self) -> str:
        if self.closed_at is not None:
            return ItemStatus.CLOSED
        if self.entrustment.status == EntrustmentStatus.WITHDRAWN:
            return ItemStatus.STOPPED
        return ItemStatus.OPEN

    def get_status_display(self) -> str:
        return ItemStatus(self.status).label


class AgencyStep(models.Model):
    """One step the agent took on one item, with its documents and note."""

    item = models.ForeignKey(
        EntrustedItem, on_delete=models.CASCADE, related_name="steps", verbose_name="委托事项"
    )
    kind = models.CharField("步骤", max_length=10, choices=Authority.choices)
    note = models.CharField("办理说明", max_length=500)
    documents = models.ManyToManyField(Document, blank=True, related_name="+")
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="办理人")
    at = models.DateTimeField("办理时间")

    class Meta:
        verbose_name = "代办步骤"
        verbose_name_plural = "代办步骤"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.note}"


class EntrustmentEvent(Event):
    entrustment = models.ForeignKey(Entrustment, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        verbose_name = "代办记录"
        verbose_name_plural = "代办记录"
