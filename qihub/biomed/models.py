"""Biomedical product archives (SJ 7.1–7.2, 8.2; BIO-3, BIO-4, BIO-5, BIO-6, BIO-9).

- `ProductArchive`: one archive per enterprise product (or one merged archive for several
  products, as the enterprise chooses), its life-cycle stage moving on the one workflow
  mechanism (ADR 0009); the stage history is its `ArchiveEvent` rows.
- `ServiceRecord`: one service of SJ 7.2 given at a stage — who, when, what was advised,
  a document. Every service is free (SJ 8.2.1): no price field exists.
- `FollowUp`: the two-weekly follow-up (SJ 8.2.3) on the `product_follow_up` clock.
- `DossierDocument`: the dossier pre-review (SJ 7.2.7, 8.2.4), one row per document per
  round, with the reviewer's comment and whether it is a nonconformity.
- `InspectionFinding`: a mock on-site inspection's finding, graded, with its rectification.
"""

from django.db import models

from qihub.accounts.models import Document, User
from qihub.core.models import Event


class ProductClass(models.TextChoices):
    DEVICE_I = "device_1", "第一类医疗器械"
    DEVICE_II = "device_2", "第二类医疗器械"
    DEVICE_III = "device_3", "第三类医疗器械"
    DRUG = "drug", "药品"
    OTHER = "other", "其他"


class Route(models.TextChoices):
    """How the product reaches the market (SJ 7.2: introduced or developed here; 7.3 channels)."""

    FILING = "filing", "备案"
    REGISTRATION = "registration", "注册"
    PRIORITY = "priority", "优先审批"
    INNOVATION = "innovation", "创新通道"
    INTRODUCED = "introduced", "已上市产品引进"


class Stage(models.TextChoices):
    """The life-cycle stages of SJ 7.1/7.2, in order."""

    INTRODUCTION = "introduction", "引进"
    INITIATION = "initiation", "立项"
    DESIGN = "design", "设计开发"
    PROTOTYPE = "prototype", "样品试制"
    TESTING = "testing", "注册检验"
    CLINICAL = "clinical", "临床评价"
    APPLICATION = "application", "注册申报"
    LICENSING = "licensing", "生产许可"
    MARKETING = "marketing", "上市销售"
    POST_MARKET = "post_market", "上市后"


STAGE_ORDER = list(Stage.values)


class ServiceKind(models.TextChoices):
    """The services of SJ 7.2."""

    ROUTE_DESIGN = "route_design", "引进路线设计"
    POLICY = "policy", "政策引导"
    PREMISES = "premises", "场地推荐"
    LICENCE = "licence", "许可指导"
    CLASSIFICATION = "classification", "产品属性与分类界定"
    ANALYSIS = "analysis", "项目分析"
    PLANT = "plant", "厂房设计指导与符合性评价"
    QMS = "qms", "质量体系建立"
    TECH_REQUIREMENTS = "tech_requirements", "技术要求编写"
    TESTING = "testing", "检验协调"
    CLINICAL_PATH = "clinical_path", "临床评价路径"
    HOSPITAL = "hospital", "医院对接"
    INSURANCE_CODE = "insurance_code", "医保编码指导"
    QMS_ASSESSMENT = "qms_assessment", "上市后体系定期评估"
    TRAINING = "training", "培训与宣传"
    TALENT = "talent", "人才"
    ALLIANCE = "alliance", "联盟"


class ReviewStatus(models.TextChoices):
    NONE = "none", "未申请"
    SUBMITTED = "submitted", "待预审"
    COMMENTED = "commented", "待补正"
    PASSED = "passed", "预审通过"


class ProductArchive(models.Model):
    number = models.CharField("档案编号", max_length=30, unique=True)
    enterprise = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="product_archives", verbose_name="企业"
    )
    name = models.CharField("产品名称", max_length=120)
    product_class = models.CharField("产品类别", max_length=16, choices=ProductClass.choices)
    route = models.CharField("注册路径", max_length=16, choices=Route.choices)
    # A merged archive (the enterprise's choice): the further products it covers, one a line.
    merged_products = models.TextField("合并建档的其他产品（每行一个）", blank=True)
    handler = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="served_archives",
        verbose_name="服务专员",
    )
    reviewers = models.ManyToManyField(
        User, blank=True, related_name="reviewed_archives", verbose_name="预审专家"
    )
    stage = models.CharField("当前阶段", max_length=16, choices=Stage.choices)
    review_status = models.CharField(
        "资料预审", max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.NONE
    )
    review_round = models.PositiveSmallIntegerField("预审轮次", default=0)
    last_follow_up_at = models.DateTimeField("上次跟踪", null=True, blank=True)
    created_at = models.DateTimeField("建档时间", auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "产品服务档案"
        verbose_name_plural = "产品服务档案"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def products(self) -> list[str]:
        """Every product the archive covers: its own and those merged into it."""
        merged = [line.strip() for line in self.merged_products.splitlines() if line.strip()]
        return [self.name, *merged]

    @property
    def next_stage(self) -> str | None:
        at = STAGE_ORDER.index(self.stage)
        return STAGE_ORDER[at + 1] if at + 1 < len(STAGE_ORDER) else None


class ArchiveEvent(Event):
    archive = models.ForeignKey(
        ProductArchive, on_delete=models.CASCADE, related_name="events", verbose_name="档案"
    )

    class Meta(Event.Meta):
        verbose_name = "档案记录"
        verbose_name_plural = "档案记录"


class ServiceRecord(models.Model):
    archive = models.ForeignKey(
        ProductArchive, on_delete=models.CASCADE, related_name="services", verbose_name="档案"
    )
    stage = models.CharField("阶段", max_length=16, choices=Stage.choices)
    kind = models.CharField("服务事项", max_length=20, choices=ServiceKind.choices)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="服务人")
    served_on = models.DateField("服务日期")
    advice = models.TextField("服务内容与建议")
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "服务记录"
        verbose_name_plural = "服务记录"
        ordering = ["-served_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.served_on:%Y-%m-%d}"


class FollowUp(models.Model):
    archive = models.ForeignKey(
        ProductArchive, on_delete=models.CASCADE, related_name="follow_ups", verbose_name="档案"
    )
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="跟踪人")
    at = models.DateTimeField("跟踪时间")
    contact = models.CharField("联系人与方式", max_length=120)
    progress = models.TextField("注册进展")
    needs = models.TextField("新的需求", blank=True)

    class Meta:
        verbose_name = "跟踪记录"
        verbose_name_plural = "跟踪记录"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"跟踪 {self.at:%Y-%m-%d}"


class DossierDocument(models.Model):
    archive = models.ForeignKey(
        ProductArchive, on_delete=models.CASCADE, related_name="dossier", verbose_name="档案"
    )
    round = models.PositiveSmallIntegerField("轮次")
    title = models.CharField("资料名称", max_length=120)
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField("预审意见", blank=True)
    nonconforming = models.BooleanField("不符合项", default=False)
    reviewed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "申报资料"
        verbose_name_plural = "申报资料"
        ordering = ["round", "pk"]

    def __str__(self) -> str:
        return f"第 {self.round} 轮 {self.title}"


class Grade(models.TextChoices):
    CRITICAL = "critical", "严重"
    MAJOR = "major", "主要"
    MINOR = "minor", "一般"


class InspectionFinding(models.Model):
    archive = models.ForeignKey(
        ProductArchive, on_delete=models.CASCADE, related_name="findings", verbose_name="档案"
    )
    grade = models.CharField("缺陷等级", max_length=10, choices=Grade.choices)
    description = models.TextField("缺陷描述")
    found_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    found_on = models.DateField("检查日期")
    rectification = models.TextField("整改情况", blank=True)
    closed_at = models.DateTimeField("整改确认时间", null=True, blank=True)

    class Meta:
        verbose_name = "模拟检查缺陷"
        verbose_name_plural = "模拟检查缺陷"
        ordering = ["closed_at", "grade", "pk"]

    def __str__(self) -> str:
        return f"{self.get_grade_display()}：{self.description[:40]}"
