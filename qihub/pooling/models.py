"""Pooled demands (集中打包需求, DEM-13): similar open demands of several enterprises pooled by
an operator into one batch (批次) for one institution, which offers a per-enterprise batch price
and a period; each enterprise accepts (and gets its own order) or declines."""

from decimal import Decimal

from django.db import models
from django.db.models import Q

from qihub.accounts.models import Organisation, User
from qihub.accounts.roles import BACK_OFFICE, INSTITUTIONS, STATION_STAFF
from qihub.core.models import Event
from qihub.demands.models import Demand, station_scope
from qihub.institutions.models import InstitutionService
from qihub.orders.models import Order


class BatchStatus(models.TextChoices):
    OFFERING = "offering", "待机构报价"
    OFFERED = "offered", "机构已报价，待企业答复"
    DECLINED = "declined", "机构不承接"
    CANCELLED = "cancelled", "已撤销"


class Answer(models.TextChoices):
    """A member's answer; set only by the batch's workflow steps (ADR 0009)."""

    PENDING = "", "待答复"
    ACCEPTED = "accepted", "已接受，已生成订单"
    DECLINED = "declined", "已谢绝"


class BatchQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "BatchQuerySet":
        """The back office sees all; station staff the batches they made or holding demands of
        their scope; the institution the batches offered to it; an enterprise the batches with
        one of its demands, once the institution has offered (before that there is nothing to
        answer)."""
        if not user.is_authenticated:
            return self.none()
        if user.role in BACK_OFFICE:
            return self
        if user.role in STATION_STAFF:
            return self.filter(
                Q(created_by=user)
                | Q(members__demand__in=Demand.objects.filter(station_scope(user)))
            ).distinct()
        if user.role in INSTITUTIONS:
            return self.filter(institution__account=user)
        return (
            self.filter(members__demand__client=user)
            .exclude(status=BatchStatus.OFFERING)
            .distinct()
        )


class Batch(models.Model):
    number = models.CharField("批次编号", max_length=20, unique=True)
    title = models.CharField("批次名称", max_length=100)
    institution = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="batches", verbose_name="承接机构"
    )
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="打包人"
    )
    note = models.CharField("打包说明", max_length=500, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=BatchStatus.choices, default=BatchStatus.OFFERING
    )
    # The institution's offer: one of its services, a price per enterprise and a period.
    service = models.ForeignKey(
        InstitutionService,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="服务项目",
    )
    price = models.DecimalField(
        "批量价格（元/家）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    period_days = models.PositiveSmallIntegerField("服务周期（工作日）", null=True, blank=True)
    offer_note = models.CharField("报价说明", max_length=500, blank=True)
    offered_at = models.DateTimeField("报价时间", null=True, blank=True)
    decline_reason = models.CharField("不承接原因", max_length=300, blank=True)
    created_at = models.DateTimeField("打包时间")
    version = models.PositiveIntegerField(default=1)

    objects = BatchQuerySet.as_manager()

    class Meta:
        verbose_name = "打包批次"
        verbose_name_plural = "打包批次"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def listed_price(self) -> Decimal | None:
        """The service's own fixed price, against which the saving is shown."""
        if self.service is None or self.service.price is None or self.service.pricing != "fixed":
            return None
        return self.service.price

    @property
    def saving(self) -> Decimal | None:
        listed = self.listed_price
        if listed is None or self.price is None:
            return None
        return listed - self.price


class BatchMember(models.Model):
    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="members", verbose_name="批次"
    )
    demand = models.ForeignKey(
        Demand, on_delete=models.PROTECT, related_name="batch_memberships", verbose_name="需求"
    )
    answer = models.CharField("企业答复", max_length=10, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    decline_reason = models.CharField("谢绝原因", max_length=300, blank=True)
    order = models.ForeignKey(
        Order,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="订单",
    )

    class Meta:
        verbose_name = "批次成员"
        verbose_name_plural = "批次成员"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "demand"], name="pooled_once_per_batch")
        ]

    def __str__(self) -> str:
        return f"{self.batch.number}：{self.demand.number}"


class BatchEvent(Event):
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        verbose_name = "打包批次记录"
        verbose_name_plural = "打包批次记录"
