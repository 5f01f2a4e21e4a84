"""Instrument sharing (INS-1): an institution's instrument is a bookable resource of kind 仪器
(`qihub.bookings`, ADR 0013) with what a sharing platform shows about it; the permits that allow
self-operation; the use recorded when a booking is closed and the fee slip it produces."""

from decimal import Decimal

from django.db import models
from django.utils import timezone

from qihub.accounts.models import Document, Organisation, User
from qihub.bookings.models import Booking, Resource


class ServiceMode(models.TextChoices):
    TEST = "test", "送样检测"
    OPERATE = "operate", "自主上机"
    PROJECT = "project", "合作项目"


class Instrument(models.Model):
    resource = models.OneToOneField(
        Resource, on_delete=models.CASCADE, related_name="instrument", verbose_name="预约资源"
    )
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="instruments", verbose_name="所属机构"
    )
    name = models.CharField("仪器名称", max_length=100)
    model = models.CharField("型号", max_length=100)
    maker = models.CharField("生产厂家", max_length=100)
    capabilities = models.TextField("主要功能与技术参数", max_length=2000)
    location = models.CharField("存放地点", max_length=200)
    photo = models.ForeignKey(
        Document,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="照片",
        editable=False,
    )
    modes = models.JSONField("服务方式", default=list)
    free = models.BooleanField("公益（免费）", default=False)
    price_per_sample = models.DecimalField(
        "每样品价格（元）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    price_per_hour = models.DecimalField(
        "每小时机时价格（元）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    rules = models.TextField("使用须知", max_length=2000, blank=True)
    listed = models.BooleanField("公开共享", default=True)
    # Normalised name, model, maker and capabilities: what the Chinese search matches words in.
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "共享仪器"
        verbose_name_plural = "共享仪器"
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return self.name

    def mode_labels(self) -> str:
        return "、".join(ServiceMode(m).label for m in self.modes if m in ServiceMode.values)

    def price_text(self) -> str:
        if self.free:
            return "公益（免费）"
        parts = []
        if self.price_per_sample is not None:
            parts.append(f"{self.price_per_sample} 元/样品")
        if self.price_per_hour is not None:
            parts.append(f"{self.price_per_hour} 元/小时")
        return "；".join(parts) or "面议"


class PermitBasis(models.TextChoices):
    TRAINING = "training", "培训"
    QUALIFICATION = "qualification", "资质"


class InstrumentPermit(models.Model):
    """A user may operate this instrument themselves (自主上机) until `valid_until`."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="permits", verbose_name="仪器"
    )
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="instrument_permits", verbose_name="用户"
    )
    basis = models.CharField("依据", max_length=16, choices=PermitBasis.choices)
    on = models.DateField("培训或取得资质日期")
    valid_until = models.DateField("有效期至")
    recorded_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "上机资格"
        verbose_name_plural = "上机资格"
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.instrument}：{self.get_basis_display()}"


class UseRecord(models.Model):
    """The actual use of a booking (机时记录): start and stop as the owner records them, and the
    hours and samples counted when the booking is closed."""

    booking = models.OneToOneField(
        Booking, on_delete=models.CASCADE, related_name="use", verbose_name="预约"
    )
    started_at = models.DateTimeField("开始使用", null=True, blank=True)
    stopped_at = models.DateTimeField("结束使用", null=True, blank=True)
    hours = models.DecimalField("机时（小时）", max_digits=7, decimal_places=1, default=Decimal(0))
    samples = models.PositiveIntegerField("样品数量", default=0)

    class Meta:
        verbose_name = "机时记录"
        verbose_name_plural = "机时记录"

    def __str__(self) -> str:
        return f"{self.booking}：{self.hours} 小时"


class FeeSlip(models.Model):
    """The fee slip (缴费单) a closed instrument booking produces."""

    number = models.CharField("缴费单号", max_length=30, unique=True)
    booking = models.OneToOneField(
        Booking, on_delete=models.PROTECT, related_name="fee_slip", verbose_name="预约"
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="fee_slips", verbose_name="仪器"
    )
    quantity = models.DecimalField("数量", max_digits=9, decimal_places=1)
    unit = models.CharField("计费单位", max_length=8)
    unit_price = models.DecimalField("单价（元）", max_digits=10, decimal_places=2)
    amount = models.DecimalField("金额（元）", max_digits=12, decimal_places=2)
    free = models.BooleanField("公益", default=False)
    issued_at = models.DateTimeField("开具时间", default=timezone.now)

    class Meta:
        verbose_name = "缴费单"
        verbose_name_plural = "缴费单"
        ordering = ["-issued_at", "id"]

    def __str__(self) -> str:
        return self.number
