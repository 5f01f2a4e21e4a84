import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone

from qihub.accounts.models import Organisation, User
from qihub.accounts.roles import BACK_OFFICE, INSTITUTIONS, STATION_STAFF
from qihub.core.models import Event
from qihub.demands.models import region_prefix, station_scope
from qihub.institutions.models import InstitutionService


class OrderStatus(models.TextChoices):
    PLACED = "placed", "已下单，待机构确认"
    QUOTED = "quoted", "机构已报价，待确认"
    ACCEPTED = "accepted", "服务中"
    COMPLETED = "completed", "已完成"
    REFUSED = "refused", "机构未受理"
    CANCELLED = "cancelled", "已取消"


OPEN_ORDER_STATUSES = [OrderStatus.PLACED, OrderStatus.QUOTED, OrderStatus.ACCEPTED]


class OrderQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "OrderQuerySet":
        """Clients see their orders, institutions the orders placed with them, the back office all
        of them, station staff (ORD-2) the orders of their station's demands and area."""
        if not user.is_authenticated:
            return self.none()
        if user.role in BACK_OFFICE:
            return self
        if user.role in STATION_STAFF:
            scope = station_scope(user, "demand__")
            if user.station is not None and user.station.region:
                prefix = region_prefix(user.station.region)
                scope |= Q(client_organisation__region__startswith=prefix)
            # The agent of a signed entrustment sees the orders linked to its items (DEM-11),
            # to collect their reports on the client's behalf.
            from django.apps import apps

            items = apps.get_model("agency", "EntrustedItem").objects.filter(
                entrustment__agent=user, entrustment__status="active", order__isnull=False
            )
            scope |= Q(pk__in=items.values("order_id"))
            return self.filter(scope).distinct()
        if user.role in INSTITUTIONS:
            return self.filter(institution__account=user)
        return self.filter(client=user)


class Order(models.Model):
    number = models.CharField("订单编号", max_length=20, unique=True)
    client = models.ForeignKey(User, on_delete=models.PROTECT, related_name="orders")
    client_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="orders_placed"
    )
    institution = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="orders_received"
    )
    service = models.ForeignKey(InstitutionService, on_delete=models.PROTECT, related_name="orders")
    demand = models.ForeignKey(
        "demands.Demand", null=True, blank=True, on_delete=models.SET_NULL, related_name="orders"
    )
    description = models.TextField("服务要求", max_length=2000)
    quantity = models.PositiveIntegerField("数量", default=1)
    free = models.BooleanField("免费（公益）服务")
    price = models.DecimalField(
        "价格（元）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    period_days = models.PositiveSmallIntegerField("服务周期（工作日）")
    # The green channel (DEM-14, LYG 6.2.1.7): a shorter service clock, first in every queue.
    urgent = models.BooleanField("加急（绿色通道）", default=False)
    urgent_reason = models.CharField("加急原因", max_length=300, blank=True)
    due_at = models.DateTimeField("约定完成时间", null=True, blank=True)
    status = models.CharField(max_length=12, choices=OrderStatus.choices)
    version = models.PositiveIntegerField(default=1)
    placed_at = models.DateTimeField("下单时间")
    accepted_at = models.DateTimeField("确认时间", null=True, blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = "服务订单"
        verbose_name_plural = "服务订单"
        ordering = ["-placed_at"]
        # Period statistics (EVAL-6) select by these times.
        indexes = [
            models.Index(fields=["placed_at"], name="order_placed"),
            models.Index(fields=["completed_at"], name="order_completed"),
            models.Index(fields=["due_at"], name="order_due"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.service.name}"

    def is_open(self) -> bool:
        return self.status in OPEN_ORDER_STATUSES

    def price_label(self) -> str:
        if self.free:
            return "免费"
        if self.price is None:
            return "待报价"
        return f"¥{self.price:,.2f}"


class OrderEvent(Event):
    """Progress of an order, shown to the client, the institution and the station (ORD-2)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        pass


def new_verification_code() -> str:
    """Ten characters of an alphabet without look-alikes: about 50 bits, typed from paper."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class Report(models.Model):
    """The electronic report or certificate issued for an order (ORD-5): the platform's PDF (a
    cover with a QR code, then the institution's pages), its SHA-256 and the platform's Ed25519
    signature over "number|sha256"."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="report")
    number = models.CharField("报告编号", max_length=20, unique=True)
    conclusion = models.CharField("结论", max_length=500)
    source = models.ForeignKey("accounts.Document", on_delete=models.PROTECT, related_name="+")
    issued = models.ForeignKey("accounts.Document", on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(max_length=64)
    signature = models.CharField(max_length=128)
    issued_at = models.DateTimeField("签发时间")
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # Printed on the report: whoever holds the report may read its conclusion online; report
    # numbers are sequential, so the number alone shows only whether it is genuine.
    verification_code = models.CharField("核验码", max_length=16, default=new_verification_code)

    def __str__(self) -> str:
        return self.number


class ReportLine(models.Model):
    """One tested item of a report as the institution records it when issuing (ENT-7): which
    product, which parameter, and whether it passed. The enterprise's test-result summary and
    its recurring-failure risks are counted from these lines."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="lines")
    product = models.CharField("产品", max_length=100)
    parameter = models.CharField("检测参数", max_length=100)
    passed = models.BooleanField("合格")

    class Meta:
        verbose_name = "报告检测项目结果"
        verbose_name_plural = "报告检测项目结果"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.product} {self.parameter}"


class ReportCollection(models.Model):
    """Collection of the paper report on the client's behalf at a window (代办领取)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="collections")
    collected_by = models.CharField("领取人", max_length=50)
    id_masked = models.CharField("领取人证件（脱敏）", max_length=30)
    note = models.CharField("备注", max_length=200, blank=True)
    at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.collected_by} {self.at:%Y-%m-%d}"
