"""Custom packages (定制服务, DEM-12): an enterprise's one request for the tests a product needs
for several recognitions (认可用途), the coordinator's plan in which one test serves many
recognitions, the orders the accepted plan becomes, and one evaluation of the whole package."""

from django.db import models

from qihub.accounts.models import Organisation, User
from qihub.accounts.roles import HANDLERS
from qihub.core.models import Event
from qihub.institutions.models import InstitutionService
from qihub.orders.models import Order, OrderStatus

PRINCIPLE = "一个标准、一次合格评定、一个结果、多方互认共享"


class Stage(models.TextChoices):
    """The product's life cycle (QHD 6.2.2): where in it a service is needed."""

    RESEARCH = "research", "研发"
    PURCHASE = "purchase", "采购"
    PRODUCTION = "production", "生产"
    SUPPLY = "supply", "供应"
    AFTER_SALES = "after_sales", "售后"


class Recognition(models.Model):
    """A use a test result is recognised for (认可用途): a certification, a market's mark. Operators
    keep the list (back office); `accepts` says which tests and standards it takes."""

    name = models.CharField("认可用途", max_length=60, unique=True)
    kind = models.CharField("类别", max_length=30)
    accepts = models.TextField("认可的检测与标准")
    active = models.BooleanField("可选用", default=True)
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "认可用途"
        verbose_name_plural = "认可用途"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class PackageStatus(models.TextChoices):
    REQUESTED = "requested", "待受理"
    PLANNING = "planning", "方案编制中"
    PROPOSED = "proposed", "方案待企业确认"
    IN_SERVICE = "in_service", "服务中"
    COMPLETED = "completed", "已完成"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_PACKAGE_STATUSES = [
    PackageStatus.REQUESTED,
    PackageStatus.PLANNING,
    PackageStatus.PROPOSED,
    PackageStatus.IN_SERVICE,
]


class PackageQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "PackageQuerySet":
        """The enterprise sees its own; platform and station staff all (any of them may become the
        coordinator, as for demands); an institution the packages with a line of its own."""
        if not user.is_authenticated:
            return self.none()
        if user.role in HANDLERS or user.is_staff:
            return self
        return self.filter(
            models.Q(client=user) | models.Q(lines__service__organisation__account=user)
        ).distinct()


class Package(models.Model):
    number = models.CharField("申请编号", max_length=20, unique=True)
    client = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="packages", verbose_name="申请人"
    )
    client_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    product = models.CharField("产品", max_length=120)
    stages = models.JSONField("服务环节", default=list)
    description = models.TextField("服务需求说明", max_length=2000)
    recognitions = models.ManyToManyField(
        Recognition, related_name="packages", verbose_name="所需认可用途"
    )
    coordinator = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coordinated_packages",
        verbose_name="协调人（第一受理人）",
    )
    status = models.CharField(max_length=12, choices=PackageStatus.choices)
    return_reason = models.CharField("退回原因", max_length=300, blank=True)
    created_at = models.DateTimeField("申请时间")
    proposed_at = models.DateTimeField("方案提交时间", null=True, blank=True)
    accepted_at = models.DateTimeField("方案确认时间", null=True, blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = PackageQuerySet.as_manager()

    class Meta:
        verbose_name = "一揽子服务申请"
        verbose_name_plural = "一揽子服务申请"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number

    def stage_labels(self) -> list[str]:
        return [Stage(s).label for s in self.stages if s in Stage.values]


class PackageLine(models.Model):
    """One test of the plan: a service item of one institution to one standard at one price, and
    the recognitions its one result serves. On acceptance it becomes an order (`order`)."""

    package = models.ForeignKey(
        Package, on_delete=models.CASCADE, related_name="lines", verbose_name="申请"
    )
    stage = models.CharField("服务环节", max_length=12, choices=Stage.choices)
    service = models.ForeignKey(
        InstitutionService, on_delete=models.PROTECT, related_name="+", verbose_name="服务项目"
    )
    standard = models.CharField("依据标准", max_length=200)
    price = models.DecimalField("价格（元）", max_digits=12, decimal_places=2)
    recognitions = models.ManyToManyField(
        Recognition, related_name="+", verbose_name="服务的认可用途"
    )
    # The order the accepted plan placed (a link kept here so the orders' model stays as it is).
    order = models.OneToOneField(
        Order,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="package_line",
        verbose_name="关联订单",
    )

    class Meta:
        verbose_name = "方案条目"
        verbose_name_plural = "方案条目"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.service.name}（{self.standard}）"

    def report(self) -> object | None:
        """The order's issued report, or None (an order has at most one)."""
        if self.order_id is None:
            return None
        return getattr(self.order, "report", None)

    @property
    def done(self) -> bool:
        return self.order_id is not None and self.order.status == OrderStatus.COMPLETED


class PackageEvent(Event):
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        verbose_name = "定制服务记录"
        verbose_name_plural = "定制服务记录"


class PackageEvaluation(models.Model):
    """The enterprise's one evaluation of the whole package, besides each order's own."""

    package = models.OneToOneField(
        Package, on_delete=models.CASCADE, related_name="evaluation", verbose_name="申请"
    )
    overall = models.PositiveSmallIntegerField("整体满意度")
    coordination = models.PositiveSmallIntegerField("协调服务")
    saving = models.PositiveSmallIntegerField("节省费用与时间")
    comment = models.CharField("意见建议", max_length=500, blank=True)
    at = models.DateTimeField("评价时间")

    class Meta:
        verbose_name = "定制服务整体评价"
        verbose_name_plural = "定制服务整体评价"

    def __str__(self) -> str:
        return f"{self.package.number}：整体满意度 {self.overall} 分"
