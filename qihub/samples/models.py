"""Samples brought to a station for an order, and their chain of custody (ORD-4).

A sample moves station → transport → institution; each hand-over is a `Handover` row saying who
gave it, who received it, where, when and how the receiver signed (log-in, one-time code or the
collector's identity document). The status changes go through `qihub.samples.workflow`.
"""

from django.db import models

from qihub.accounts.models import Document, Station, User
from qihub.core.models import Event
from qihub.orders.models import Order

NO_SPECIAL = "无特殊要求"


class SampleStatus(models.TextChoices):
    REGISTERED = "registered", "已登记，待送站"
    RECEIVED = "received", "站点已接收"
    REFUSED = "refused", "站点拒收"
    IN_TRANSIT = "in_transit", "转运中"
    AT_INSTITUTION = "at_institution", "机构已接收"
    REJECTED = "rejected", "机构拒收"
    HANDED_OUT = "handed_out", "报告已领取"


OPEN_SAMPLE_STATUSES = [
    SampleStatus.REGISTERED,
    SampleStatus.RECEIVED,
    SampleStatus.IN_TRANSIT,
    SampleStatus.AT_INSTITUTION,
]


class Sample(models.Model):
    code = models.CharField("样品编号", max_length=20, unique=True)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="samples")
    client = models.ForeignKey(User, on_delete=models.PROTECT, related_name="samples")
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="samples")
    name = models.CharField("样品名称", max_length=100)
    quantity = models.PositiveIntegerField("数量")
    retained = models.CharField("留样", max_length=200, blank=True)
    conditions = models.CharField("特殊要求", max_length=300, default=NO_SPECIAL)
    status = models.CharField("状态", max_length=20, choices=SampleStatus.choices)
    version = models.PositiveIntegerField(default=1)
    registered_at = models.DateTimeField("登记时间")
    received_at = models.DateTimeField("站点接收时间", null=True, blank=True)
    dispatched_at = models.DateTimeField("交转运时间", null=True, blank=True)
    arrived_at = models.DateTimeField("机构接收时间", null=True, blank=True)
    handed_out_at = models.DateTimeField("报告领取时间", null=True, blank=True)
    photo = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("拒收原因", max_length=300, blank=True)
    carrier = models.CharField("转运人", max_length=50, blank=True)
    # The one-time hand-over code: only its hash is kept, and only for a short while.
    code_hash = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "样品"
        verbose_name_plural = "样品"
        ordering = ["-registered_at"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Signature(models.TextChoices):
    LOGIN = "login", "接收人登录确认"
    CODE = "code", "接收人输入交接码确认"
    ID = "id", "核对领取人证件"


class Handover(models.Model):
    """One hand-over in the chain of custody, signed by the receiver."""

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="handovers")
    leg = models.CharField("环节", max_length=30)
    giver = models.CharField("交出方", max_length=200)
    receiver = models.CharField("接收方", max_length=200)
    receiver_user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signature = models.CharField("签收方式", max_length=10, choices=Signature.choices)
    place = models.CharField("地点", max_length=300)
    at = models.DateTimeField("时间")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.leg} {self.at:%Y-%m-%d %H:%M}"


class SampleEvent(Event):
    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        pass
