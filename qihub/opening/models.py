"""Resources opened to the public (INS-2): laboratories rented by the hour on the one booking
mechanism (ADR 0013), and research results, standards information and technical material that
institutions and the platform publish with their terms of use."""

from django.db import models
from django.utils import timezone

from qihub.accounts.models import Organisation, User
from qihub.bookings.models import Resource


class Laboratory(models.Model):
    """An institution's laboratory that anybody may rent by the hour. Its bookings, hours and
    policy are those of its `Resource` (kind 实验室, owner the same institution)."""

    resource = models.OneToOneField(
        Resource, on_delete=models.CASCADE, related_name="laboratory", verbose_name="预约资源"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="laboratories", verbose_name="所属机构"
    )
    name = models.CharField("实验室名称", max_length=100)
    area = models.DecimalField("面积（平方米）", max_digits=8, decimal_places=1)
    equipped_for = models.TextField("主要用途与设施", max_length=2000)
    capacity = models.PositiveIntegerField("可容纳人数")
    free = models.BooleanField("公益免费开放", default=False)
    price_per_hour = models.DecimalField(
        "每小时价格（元）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    rules = models.TextField("使用须知", max_length=3000, blank=True)
    listed = models.BooleanField("对外开放", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "开放实验室"
        verbose_name_plural = "开放实验室"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def price_label(self) -> str:
        """Shown as orders show a free service (ORD-6): 公益免费 or the hourly price."""
        if self.free:
            return "公益免费"
        if self.price_per_hour is None:
            return "有偿（面议）"
        return f"¥{self.price_per_hour:,.2f}/小时"


class ResultKind(models.TextChoices):
    RESEARCH = "research", "科研成果"
    STANDARD = "standard", "标准信息"
    TECHNICAL = "technical", "技术资料"


class Terms(models.TextChoices):
    FREE = "free", "公益免费"
    PAID = "paid", "有偿使用"


class OpenResult(models.Model):
    """A research result, a piece of standards information or technical material opened to the
    public: who owns it, whom to ask, and on what terms."""

    kind = models.CharField("类别", max_length=12, choices=ResultKind.choices)
    title = models.CharField("名称", max_length=150)
    field = models.CharField("所属领域", max_length=60)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="open_results",
        verbose_name="所有单位",
    )
    contact_name = models.CharField("联系人", max_length=40)
    contact_phone = models.CharField("联系电话", max_length=20)
    terms = models.CharField("使用条件", max_length=8, choices=Terms.choices)
    summary = models.TextField("简介", max_length=3000)
    published = models.BooleanField("公开发布", default=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="发布人"
    )
    created_at = models.DateTimeField("发布时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "开放成果与标准信息"
        verbose_name_plural = "开放成果与标准信息"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "published"])]

    def __str__(self) -> str:
        return self.title

    @property
    def free(self) -> bool:
        return self.terms == Terms.FREE
