from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from qihub.core.models import Event

PLATFORM_INFO_KEY = "catalog:platform-info"
# Every page's footer reads the row; a save anywhere drops the copy (see the receiver below).
# The bound covers a process whose cache the saving process cannot reach (a per-process cache).
PLATFORM_INFO_SECONDS = 60


class Category(models.TextChoices):
    """Service categories of CAT-2 (TZ 5.1–5.8, WX 6.1–6.7, QHD 6, LYG 6.2–6.4)."""

    METROLOGY = "metrology", "计量"
    STANDARDIZATION = "standardization", "标准化"
    TESTING = "testing", "检验检测"
    CERTIFICATION = "certification", "认证认可"
    QUALITY_MANAGEMENT = "quality_management", "质量管理"
    BRAND = "brand", "品牌培育"
    IP = "ip", "知识产权"
    SPECIAL_EQUIPMENT = "special_equipment", "特种设备"
    PHARMA = "pharma", "药品医疗器械"
    OTHER = "other", "其他服务"


CATEGORY_SUMMARIES: dict[str, str] = {
    Category.METROLOGY: "计量器具检定校准、计量标准考核、能源计量、计量器具台账",
    Category.STANDARDIZATION: "标准信息查询、标准有效性核对、企业标准自我声明、标准化试点",
    Category.TESTING: "产品检验检测、CMA/CNAS 资质与能力范围查询、送样与报告",
    Category.CERTIFICATION: "管理体系认证、产品认证、认证机构与认证范围查询",
    Category.QUALITY_MANAGEMENT: "质量诊断、质量门诊、全面质量管理与首席质量官培训",
    Category.BRAND: "质量奖培育、质量信用等级、商标与地理标志",
    Category.IP: "专利、商标申请指导，知识产权质押融资",
    Category.SPECIAL_EQUIPMENT: "特种设备使用登记、定期检验预警、隐患自查整改",
    Category.PHARMA: "药品与医疗器械许可、注册、备案，药品检验",
    Category.OTHER: "企业登记咨询、缺陷产品报告、金融服务、项目申报",
}


class PlatformInfo(models.Model):
    """The operator's public information (CAT-3). One row, edited by staff in the admin."""

    operator_name = models.CharField("运营机构名称", max_length=200)
    organisation = models.TextField("机构设置")
    duties = models.TextField("工作职责")
    rules = models.TextField("规章制度")
    service_content = models.TextField("服务内容与依据")
    process_and_time_limits = models.TextField("办事流程与时限")
    service_channels = models.TextField("服务渠道")
    supervision = models.TextField("监督与投诉渠道")
    service_hotline = models.CharField("服务热线", max_length=50)
    complaint_hotline = models.CharField("监督投诉电话", max_length=50)
    service_hours = models.CharField("服务时间", max_length=100)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "平台信息公开"
        verbose_name_plural = "平台信息公开"

    def __str__(self) -> str:
        return self.operator_name

    @classmethod
    def current(cls) -> "PlatformInfo":
        # The row is created by a data migration; should it ever be removed by hand, pages
        # keep showing the starting text rather than empty hotlines.
        from qihub.catalog.defaults import DEFAULT_INFO

        info = cache.get(PLATFORM_INFO_KEY)
        if info is None:
            info = cls.objects.order_by("pk").first() or cls(**DEFAULT_INFO)
            cache.set(PLATFORM_INFO_KEY, info, PLATFORM_INFO_SECONDS)
        return info


@receiver(post_save, sender=PlatformInfo)
@receiver(post_delete, sender=PlatformInfo)
def _forget_platform_info(**kwargs: object) -> None:
    # Now, and again once committed: a page read between the save and its commit may have
    # cached the old row.
    cache.delete(PLATFORM_INFO_KEY)
    transaction.on_commit(lambda: cache.delete(PLATFORM_INFO_KEY))


class ServiceFlow(models.TextChoices):
    """Where a guide's 立即办理 leads (issue 15: every guide leads somewhere)."""

    ORDER = "order", "查找机构下单"
    DEMAND = "demand", "发布服务需求"
    CLINIC = "clinic", "质量门诊咨询"
    COMPLAINT = "complaint", "投诉"
    EXTERNAL = "external", "外部系统办理"


class ServiceItem(models.Model):
    """A public service item of the catalogue (CAT-1, CAT-2); its guide is versioned (CAT-5)."""

    code = models.SlugField("编号", max_length=60, unique=True)
    category = models.CharField("服务分类", max_length=30, choices=Category.choices)
    name = models.CharField("服务事项", max_length=120)
    summary = models.CharField("简介", max_length=300)
    source = models.CharField("依据条款", max_length=120, blank=True)
    # CAT-6: items handled on an external official system link there, with the steps to follow.
    external_system = models.CharField("外部办理系统", max_length=120, blank=True)
    external_url = models.URLField("外部系统网址", blank=True)
    external_steps = models.TextField("外部办理步骤", blank=True)
    flow = models.CharField(
        "立即办理方式", max_length=10, choices=ServiceFlow.choices, default=ServiceFlow.DEMAND
    )
    # BIO-2: the guided flow (Annex A–F code of `qihub.flows`) its 按流程办理 starts; empty: none.
    guided_flow = models.CharField("按流程办理", max_length=1, blank=True)
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "服务事项"
        verbose_name_plural = "服务事项"
        ordering = ["category", "position", "id"]

    def __str__(self) -> str:
        return self.name

    def current_guide(self) -> "GuideVersion | None":
        return self.guides.order_by("-version").first()


class GuideVersion(models.Model):
    """One published version of a service guide; never edited, a change is a new version."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="guides")
    version = models.PositiveSmallIntegerField("版本")
    acceptance_conditions = models.TextField("受理条件")
    materials = models.TextField("申请材料")
    process = models.TextField("办理流程")
    time_limit = models.CharField("办理时限", max_length=200)
    is_free = models.BooleanField("免费", default=True)
    fee = models.CharField("收费标准", max_length=200, blank=True)
    legal_basis = models.TextField("设定依据")
    change_note = models.CharField("修订说明", max_length=300, blank=True)
    published_at = models.DateTimeField("发布时间")
    published_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "办事指南版本"
        verbose_name_plural = "办事指南版本"
        ordering = ["item", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="guide_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.item} 第 {self.version} 版"


class NoticeStatus(models.TextChoices):
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class Notice(models.Model):
    """A notice the operator publishes on the home page (通知公告, issue 15). Withdrawn notices
    stay on record (their history says who published and withdrew them) and leave the public
    pages."""

    title = models.CharField("标题", max_length=120)
    body = models.TextField("正文", max_length=5000)
    pinned = models.BooleanField("置顶", default=False)
    status = models.CharField(
        "状态", max_length=12, choices=NoticeStatus.choices, default=NoticeStatus.PUBLISHED
    )
    published_at = models.DateTimeField("发布时间")
    published_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="发布人",
    )
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "通知公告"
        verbose_name_plural = "通知公告"
        ordering = ["-pinned", "-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class NoticeEvent(Event):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        verbose_name = "通知公告记录"
        verbose_name_plural = "通知公告记录"
