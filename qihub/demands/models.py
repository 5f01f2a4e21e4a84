from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from qihub.accounts.models import Document, Organisation, User
from qihub.accounts.roles import BACK_OFFICE, INSTITUTIONS, STATION_STAFF
from qihub.catalog.models import Category
from qihub.core.models import Event


class Channel(models.TextChoices):
    ONLINE = "online", "网上发布"
    PHONE = "phone", "电话"
    ON_SITE = "on_site", "现场"
    EMAIL = "email", "电子邮件"
    LETTER = "letter", "信函"
    VISIT = "visit", "站点走访收集"
    SUPERVISION = "supervision", "监督抽查结果"


class DemandStatus(models.TextChoices):
    PUBLISHED = "published", "已发布，待响应"
    RESPONDED = "responded", "已响应，推荐中"
    RECOMMENDED = "recommended", "已推荐"
    REFERRED = "referred", "已反馈平台外机构"
    IN_SERVICE = "in_service", "服务中"
    COMPLETED = "completed", "服务已完成"
    CLOSED = "closed", "已办结"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_STATUSES = [
    DemandStatus.PUBLISHED,
    DemandStatus.RESPONDED,
    DemandStatus.RECOMMENDED,
    DemandStatus.REFERRED,
    # Orders placed from it are under way: staff still follow it up (DEM-7).
    DemandStatus.IN_SERVICE,
]


def default_follow_up_days() -> int:
    return int(getattr(settings, "DEMAND_FOLLOW_UP_DAYS", 5))


def region_prefix(code: str) -> str:
    """A division code as a prefix: 320200 (a city) covers 3202xx, 320000 (a province) 32xxxx."""
    code = code.strip()
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


def station_scope(user: User, path: str = "") -> Q:
    """What a station's staff see (issue 13): the demands they answer for or took in, the ones
    their station took in, and the clients of their station's area; not the whole platform."""
    mine = (
        Q(**{f"{path}responsible": user})
        | Q(**{f"{path}entered_by": user})
        | Q(**{f"{path}visit__station_staff": user})
    )
    station = user.station
    if station is None:
        return mine
    mine |= Q(**{f"{path}entered_by__station": station}) | Q(
        **{f"{path}visit__station_staff__station": station}
    )
    if station.region:
        mine |= Q(**{f"{path}region__startswith": region_prefix(station.region)})
    return mine


class DemandQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "DemandQuerySet":
        """Clients see their own; the back office all; station staff their station's (see
        `station_scope`); institutions those recommended to them."""
        if not user.is_authenticated:
            return self.none()
        if user.role in BACK_OFFICE:
            return self
        if user.role in STATION_STAFF:
            return self.filter(station_scope(user)).distinct()
        if user.role in INSTITUTIONS:
            return self.filter(
                recommendation__items__organisation__account=user,
                recommendation__sent_at__isnull=False,
                recommendation__items__included=True,
            ).distinct()
        return self.filter(client=user)


class Visit(models.Model):
    """A station visit to an enterprise (DEM-2); the demands collected there point to it."""

    station_staff = models.ForeignKey(User, on_delete=models.PROTECT, related_name="visits")
    enterprise_name = models.CharField("走访企业", max_length=200)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="visits"
    )
    visited_on = models.DateField("走访日期")
    summary = models.TextField("走访情况", max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise_name} {self.visited_on}"


class Demand(models.Model):
    number = models.CharField("需求编号", max_length=20, unique=True)
    # Empty while the demand belongs to a caller without an account (`caller`, ADR 0012).
    client = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="demands"
    )
    caller = models.OneToOneField(
        "accounts.Caller",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="demand",
        verbose_name="无账户提出人",
    )
    client_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="demands"
    )
    channel = models.CharField("来源渠道", max_length=12, choices=Channel.choices)
    entered_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="代录人员",
    )
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="demands"
    )
    category = models.CharField("服务类别", max_length=30, choices=Category.choices)
    title = models.CharField("需求标题", max_length=100)
    description = models.TextField("需求描述", max_length=2000)
    product = models.CharField("产品/样品", max_length=200, blank=True)
    standard = models.CharField("依据标准", max_length=200, blank=True)
    region = models.CharField("所在地区（行政区划代码）", max_length=6)
    wished_by = models.DateField("期望完成日期", null=True, blank=True)
    # The green channel (DEM-14): shorter clocks, first in every queue.
    urgent = models.BooleanField("加急（绿色通道）", default=False)
    urgent_reason = models.CharField("加急原因", max_length=300, blank=True)
    documents = models.ManyToManyField(Document, blank=True, related_name="+")
    status = models.CharField(max_length=12, choices=DemandStatus.choices)
    version = models.PositiveIntegerField(default=1)  # what the actor saw; stale → 已被他人处理
    published_at = models.DateTimeField("发布时间")
    responsible = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_for",
        verbose_name="第一受理人",
    )
    responded_at = models.DateTimeField("响应时间", null=True, blank=True)
    recommended_at = models.DateTimeField("推荐时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    # The follow-up interval (DEM-7), read from the settings when the demand enters service so a
    # later change of the setting does not move the points of demands already followed.
    follow_up_days = models.PositiveSmallIntegerField(
        "跟踪回访间隔（工作日）", default=default_follow_up_days
    )
    similar_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="疑似重复",
    )

    objects = DemandQuerySet.as_manager()

    class Meta:
        verbose_name = "服务需求"
        verbose_name_plural = "服务需求"
        ordering = ["-published_at"]
        indexes = [
            models.Index(fields=["client", "status"], name="demand_client_status"),
            models.Index(fields=["published_at"], name="demand_published"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def text(self) -> str:
        """What the recommendation engine reads."""
        return " ".join(filter(None, [self.title, self.product, self.standard, self.description]))

    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class DemandEvent(Event):
    """The demand's history, shown to the client and staff as progress; never updated."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="events")
    # Whom the event is about when that is not the actor: the first responsible person a demand
    # was taken from (counted as work returned in the staff appraisal, CMP-4).
    concerning = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta(Event.Meta):
        pass


class ContactKind(models.TextChoices):
    CONTACT = "contact", "沟通记录"
    FOLLOW_UP = "follow_up", "跟踪回访"
    COORDINATION = "coordination", "问题协调"


class ContactLog(models.Model):
    """Contact between provider, client and platform (DEM-7, DEM-9)."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField("类型", max_length=12, choices=ContactKind.choices)
    method = models.CharField("方式", max_length=20)
    with_whom = models.CharField("沟通对象", max_length=100)
    summary = models.TextField("内容", max_length=2000)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.summary[:30]


class ServiceChange(models.Model):
    """A change of the requested service when the client's needs change (DEM-9)."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="changes")
    before = models.JSONField()
    after = models.JSONField()
    reason = models.CharField("变更原因", max_length=500)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.reason[:30]

    @property
    def edits(self) -> list[tuple[str, object, object]]:
        """(Chinese field name, before, after): the page shows 需求标题, not `title`."""
        from qihub.core.models import field_edits

        return field_edits(Demand, self.before, self.after)


class Recommendation(models.Model):
    """The shortlist for a demand: computed on publication, confirmed and sent by staff."""

    demand = models.OneToOneField(Demand, on_delete=models.CASCADE, related_name="recommendation")
    computed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("推荐说明", max_length=500, blank=True)

    def __str__(self) -> str:
        return f"推荐 {self.demand.number}"


class RecommendedInstitution(models.Model):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="items"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    included = models.BooleanField("列入推荐", default=True)
    added_by_staff = models.BooleanField(default=False)

    class Meta:
        ordering = ["rank", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "organisation"], name="recommended_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.organisation}"


class OutsideReferral(models.Model):
    """No platform institution fits: where staff looked outside and what the client was told
    (DEM-6)."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="referrals")
    searched = models.TextField("查找经过", max_length=2000)
    found = models.CharField("找到的平台外机构", max_length=300, blank=True)
    feedback = models.TextField("反馈给企业的内容", max_length=2000)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.found or self.searched[:30]
