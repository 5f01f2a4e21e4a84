"""Standardization and brand guidance (ENT-4, ENT-5).

- `EnterpriseStandard`: an enterprise's own standards and their self-declaration on the national
  enterprise-standard platform (a ledger the enterprise edits; no workflow).
- `DeclarationWindow`: a window an operator publishes (quality award, credit grade, pilot project,
  trademark …) with its eligibility checklist, materials and where to apply.
- `Declaration`: an enterprise following one window through its steps, on the one workflow
  mechanism (ADR 0009), with its history in `DeclarationEvent`.
"""

import datetime as dt

from django.db import models

from qihub.accounts.models import User
from qihub.core.models import Event

# The national self-declaration platform (TZ 5.1.5): where an enterprise discloses its standards.
DECLARATION_PLATFORM = "https://www.cpbz.gov.cn/"
GROUP_STANDARD_PLATFORM = "https://www.ttbz.org.cn/"
# The seeds name no review period; three years is the usual rule for enterprise standards
# (the former 企业标准化管理办法 asked for review at least every three years). Kept per standard.
DEFAULT_REVIEW_YEARS = 3


class Declared(models.TextChoices):
    NOT_DECLARED = "not_declared", "未声明"
    DECLARED = "declared", "已声明"
    NEEDS_UPDATE = "needs_update", "需更新"


class EnterpriseStandard(models.Model):
    owner = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="enterprise_standards", verbose_name="企业"
    )
    number = models.CharField("标准编号", max_length=60)
    title = models.CharField("标准名称", max_length=200)
    product = models.CharField("适用产品", max_length=120)
    edition = models.CharField("版本", max_length=30, blank=True)
    issued_on = models.DateField("发布日期")
    declared = models.CharField(
        "自我声明状态", max_length=16, choices=Declared.choices, default=Declared.NOT_DECLARED
    )
    declared_on = models.DateField("声明公开日期", null=True, blank=True)
    review_years = models.PositiveSmallIntegerField("复审周期（年）", default=DEFAULT_REVIEW_YEARS)
    # Kept beside the dates it derives from, so the to-do count and the daily reminder are
    # one query (the period differs per standard).
    review_due_on = models.DateField("复审到期日", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "企业标准"
        verbose_name_plural = "企业标准"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "number"], name="one_standard_number_each")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.review_due_on = self.review_due()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "review_due_on"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def review_due(self) -> dt.date | None:
        """When a declared standard should be reviewed: its declaration (or issue) date plus the
        review period; undeclared standards are not yet on the platform to be reviewed."""
        if self.declared == Declared.NOT_DECLARED:
            return None
        start = self.declared_on or self.issued_on
        try:
            return start.replace(year=start.year + self.review_years)
        except ValueError:  # 29 February
            return start.replace(year=start.year + self.review_years, day=28)

    def review_overdue(self, today: dt.date) -> bool:
        due = self.review_due_on
        return due is not None and due <= today


class WindowKind(models.TextChoices):
    PILOT = "pilot", "标准化试点示范项目"
    QUALITY_AWARD = "quality_award", "质量奖"
    CREDIT_GRADE = "credit_grade", "质量信用等级（A/AA/AAA）"
    JIANGSU_FINE = "jiangsu_fine", "江苏精品"
    TRADEMARK = "trademark", "商标"
    GEO_INDICATION = "geo_indication", "地理标志"
    PROJECT = "project", "项目申报"


class Level(models.TextChoices):
    """Who runs the scheme (LYG 6.3.1.2, 6.3.2.2: 国家级、省级、市级试点; 中国、省长、市长质量奖)."""

    NATIONAL = "national", "国家级"
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县（区）级"


class Phase(models.TextChoices):
    OPEN = "open", "申报中"
    UPCOMING = "upcoming", "即将开始"
    CLOSED = "closed", "已截止"


class DeclarationWindow(models.Model):
    kind = models.CharField("申报类别", max_length=20, choices=WindowKind.choices)
    title = models.CharField("申报名称", max_length=120)
    level = models.CharField("级别", max_length=12, choices=Level.choices, blank=True)
    department = models.CharField("发布部门", max_length=80)
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    # One condition a line: the enterprise ticks each one it meets.
    eligibility = models.TextField("申报条件（每行一条）")
    materials = models.TextField("所需材料（每行一项）")
    apply_url = models.URLField("申报网址", blank=True)
    basis = models.CharField("依据文件", max_length=200, blank=True)
    published_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="发布人"
    )
    created_at = models.DateTimeField("发布时间", auto_now_add=True)

    class Meta:
        verbose_name = "申报窗口"
        verbose_name_plural = "申报窗口"
        ordering = ["closes_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def checklist(self) -> list[str]:
        return [line.strip() for line in self.eligibility.splitlines() if line.strip()]

    @property
    def material_list(self) -> list[str]:
        return [line.strip() for line in self.materials.splitlines() if line.strip()]

    def phase(self, today: dt.date) -> str:
        if today < self.opens_on:
            return Phase.UPCOMING
        if today > self.closes_on:
            return Phase.CLOSED
        return Phase.OPEN

    def phase_label(self, today: dt.date) -> str:
        return Phase(self.phase(today)).label


class DeclarationStatus(models.TextChoices):
    PREPARING = "preparing", "准备材料"
    SUBMITTED = "submitted", "已提交"
    REVIEWING = "reviewing", "评审中"
    PASSED = "passed", "通过"
    FAILED = "failed", "未通过"


# Still in hand: the enterprise's to-do and the operators' overview of who is declaring.
IN_PROGRESS = (
    DeclarationStatus.PREPARING,
    DeclarationStatus.SUBMITTED,
    DeclarationStatus.REVIEWING,
)


class Declaration(models.Model):
    number = models.CharField("申报编号", max_length=30, unique=True)
    window = models.ForeignKey(
        DeclarationWindow,
        on_delete=models.PROTECT,
        related_name="declarations",
        verbose_name="申报窗口",
    )
    enterprise = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="declarations", verbose_name="申报企业"
    )
    status = models.CharField(
        "状态",
        max_length=16,
        choices=DeclarationStatus.choices,
        default=DeclarationStatus.PREPARING,
    )
    # The checklist lines (their text, so a later edit of the window does not shift them) the
    # enterprise says it meets.
    met = models.JSONField("已满足的条件", default=list, blank=True)
    result_note = models.CharField("评审结果说明", max_length=500, blank=True)
    created_at = models.DateTimeField("开始时间", auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "申报"
        verbose_name_plural = "申报"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["window", "enterprise"], name="one_declaration_each")
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def unmet(self) -> list[str]:
        return [item for item in self.window.checklist if item not in self.met]


class DeclarationEvent(Event):
    declaration = models.ForeignKey(
        Declaration, on_delete=models.CASCADE, related_name="events", verbose_name="申报"
    )

    class Meta(Event.Meta):
        verbose_name = "申报记录"
        verbose_name_plural = "申报记录"
