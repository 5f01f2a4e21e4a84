import datetime as dt
from typing import Protocol

from django.db import models

from qihub.accounts.models import Document, Organisation
from qihub.catalog.models import Category
from qihub.core.models import Event, FileJob


class QualificationType(models.TextChoices):
    CMA = "CMA", "检验检测机构资质认定（CMA）"
    CNAS = "CNAS", "CNAS 认可"
    CNCA = "CNCA", "认证机构批准（CNCA）"
    LEGAL_METROLOGY = "LEGAL_METROLOGY", "法定计量检定机构授权"
    SE_INSPECTION = "SE_INSPECTION", "特种设备检验检测机构核准"
    OTHER = "OTHER", "其他"


class Qualification(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="qualifications"
    )
    type = models.CharField("资质类型", max_length=20, choices=QualificationType.choices)
    number = models.CharField("证书编号", max_length=80)
    issuer = models.CharField("发证机关", max_length=200, blank=True)
    valid_from = models.DateField("有效期起", null=True, blank=True)
    valid_until = models.DateField("有效期至")
    scope = models.TextField("资质范围", blank=True)
    certificate = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)

    class Meta:
        verbose_name = "资质证书"
        verbose_name_plural = "资质证书"
        ordering = ["valid_until"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.number}"

    def valid_on(self, day: dt.date) -> bool:
        return self.withdrawn_at is None and self.valid_until >= day

    def status_on(self, day: dt.date) -> str:
        """有效 / 即将到期 (within the sweep's 30-day warning) / 已过期 / 已撤回."""
        if self.withdrawn_at is not None:
            return "已撤回"
        if self.valid_until < day:
            return "已过期"
        if self.valid_until <= day + dt.timedelta(days=EXPIRY_WARNING_DAYS):
            return "即将到期"
        return "有效"


# A qualification is "即将到期" this many days before it lapses; the sweep warns then too.
EXPIRY_WARNING_DAYS = 30


class ScopeLineQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date) -> "ScopeLineQuerySet":
        """Lines offered on `day` (MATCH-3): not withdrawn, and under a qualification valid that
        day, or under none (categories that need no licence)."""
        return self.filter(withdrawn_at__isnull=True).filter(
            models.Q(qualification__isnull=True)
            | models.Q(
                qualification__withdrawn_at__isnull=True, qualification__valid_until__gte=day
            )
        )


class Verb(models.TextChoices):
    """What a scope line offers to do with its object: verification is not calibration is not
    testing is not certification (MATCH-1). 检验 and 检测 are one service (检验检测)."""

    VERIFICATION = "verification", "检定"
    CALIBRATION = "calibration", "校准"
    TESTING = "testing", "检验检测"
    CERTIFICATION = "certification", "认证"
    OTHER = "other", "其他服务"


class ScopeLine(models.Model):
    """One line of service capability scope: what can be tested/calibrated, by which method,
    under which qualification. A line is offered only while that qualification is valid
    (MATCH-3); a line without one (consulting services that need no licence) while the
    institution is listed."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="scope_lines"
    )
    qualification = models.ForeignKey(
        Qualification,
        verbose_name="依据资质",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scope_lines",
    )
    verb = models.CharField(
        "服务方式",
        max_length=20,
        choices=Verb.choices,
        blank=True,
        help_text="不填时按资质类型、标准（JJG 检定规程、JJF 校准规范）和文字推定",
    )
    category = models.CharField("类别", max_length=40, choices=Category.choices)
    object = models.CharField("对象/产品", max_length=200)
    parameter = models.CharField("项目/参数", max_length=200, blank=True)
    standard = models.CharField("标准或方法", max_length=200, blank=True)
    limits = models.CharField("限制范围", max_length=200, blank=True)
    # Withdrawn by an approved change request: kept as history, no longer offered.
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)

    objects = ScopeLineQuerySet.as_manager()

    class Meta:
        verbose_name = "能力范围"
        verbose_name_plural = "能力范围"

    def __str__(self) -> str:
        return f"{self.object} {self.parameter} {self.standard}".strip()

    def text(self) -> str:
        return line_text(self)

    def valid_on(self, day: dt.date) -> bool:
        return line_offered_on(self, day)


class _Validity(Protocol):
    def valid_on(self, day: dt.date) -> bool: ...


class LineLike(Protocol):
    """A scope line as a model instance or as the plain row search reads."""

    @property
    def object(self) -> str: ...
    @property
    def parameter(self) -> str: ...
    @property
    def standard(self) -> str: ...
    @property
    def limits(self) -> str: ...
    @property
    def withdrawn_at(self) -> dt.datetime | None: ...
    @property
    def qualification(self) -> _Validity | None: ...


def line_text(line: LineLike) -> str:
    return " ".join([line.object, line.parameter, line.standard, line.limits])


def line_offered_on(line: LineLike, day: dt.date) -> bool:
    """Offered that day: not withdrawn, and its qualification (if it needs one) valid."""
    if line.withdrawn_at is not None:
        return False
    return line.qualification is None or line.qualification.valid_on(day)


class Listing(models.TextChoices):
    """Where an institution stands in search and recommendation, derived from its fields."""

    LISTED = "listed", "正常显示"
    HIDDEN = "hidden", "暂停显示"
    DEREGISTERED = "deregistered", "已注销"


class Institution(Organisation):
    """An organisation seen as an institution on the listing workflow.

    Organisation has no status column; the listing is derived from `listed` and
    `deregistered_at` so the workflow table can key on it without a second source of truth."""

    class Meta:
        proxy = True
        verbose_name = "技术机构"
        verbose_name_plural = "技术机构"

    @property
    def listing(self) -> str:
        if self.deregistered_at:
            return Listing.DEREGISTERED
        return Listing.LISTED if self.listed else Listing.HIDDEN

    def get_listing_display(self) -> str:
        return Listing(self.listing).label


class OrganisationEvent(Event):
    """History of an organisation: listing changes (from/to listing, before/after `listed`)
    and approved change reports; never updated."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        pass


class ChangeKind(models.TextChoices):
    ADD = "add", "新增资质"
    RENEW = "renew", "资质延续（换发新证）"
    WITHDRAW = "withdraw", "撤回资质"
    LINES = "lines", "调整能力范围"


class ChangeStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "审核通过"
    RETURNED = "returned", "已退回"
    CANCELLED = "cancelled", "已撤销申请"


class QualificationChange(models.Model):
    """An institution's request to change its qualifications or scope lines after onboarding
    (ACC-5, ACC-8, MATCH-3), reviewed by an operator. Nothing live changes until approval; the
    request keeps what was asked (new certificate, dates, lines) as history."""

    number = models.CharField("申请编号", max_length=20, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="qualification_changes"
    )
    kind = models.CharField("申请事项", max_length=10, choices=ChangeKind.choices)
    status = models.CharField("状态", max_length=10, choices=ChangeStatus.choices)
    version = models.PositiveIntegerField(default=0)
    # The qualification renewed, withdrawn or whose lines change; the one created for ADD once
    # approved.
    qualification = models.ForeignKey(
        Qualification,
        verbose_name="资质证书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
    )
    type = models.CharField(
        "资质类型", max_length=20, choices=QualificationType.choices, blank=True
    )
    certificate_number = models.CharField("证书编号", max_length=80, blank=True)
    issuer = models.CharField("发证机关", max_length=200, blank=True)
    valid_from = models.DateField("有效期起", null=True, blank=True)
    valid_until = models.DateField("有效期至", null=True, blank=True)
    scope = models.TextField("资质范围", blank=True)
    certificate = models.ForeignKey(
        Document, verbose_name="资质证书文件", null=True, blank=True, on_delete=models.PROTECT
    )
    # Lines to add: [{category, verb, object, parameter, standard, limits}, …].
    new_lines = models.JSONField("新增能力范围", default=list, blank=True)
    retired_lines = models.ManyToManyField(
        ScopeLine, verbose_name="撤回的能力范围", related_name="+", blank=True
    )
    reason = models.CharField("申请说明", max_length=500, blank=True)
    submitted_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField("提交时间")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_note = models.CharField("审核意见", max_length=500, blank=True)

    class Meta:
        verbose_name = "资质与能力范围变更"
        verbose_name_plural = "资质与能力范围变更"
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    def new_line_rows(self) -> list[dict]:
        """The requested lines with their labels, for pages."""
        return [
            {
                **line,
                "category_label": Category(line["category"]).label
                if line["category"] in Category.values
                else line["category"],
                "verb_label": Verb(line["verb"]).label if line.get("verb") else "",
            }
            for line in self.new_lines
        ]


class QualificationChangeEvent(Event):
    """History of a change request: submitted, approved (before/after), returned, cancelled."""

    change = models.ForeignKey(QualificationChange, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        pass


class SearchTerm(models.Model):
    """Inverted index for institution search: one posting per term per institution.

    Only listable institutions have postings. `weight` says where the term occurs (name 100, scope
    10 plus one per further scope line, other text 1). Region, categories and qualification types
    held (a bit each) and the last qualification expiry are copied in, so that a query is answered
    from this table alone; the final list is checked against the live records (`search.search`).
    """

    term = models.CharField(max_length=40)
    # Indexed by the unique (organisation, term) pair, which also serves the probes of search.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    weight = models.PositiveSmallIntegerField()
    region = models.CharField(max_length=6, blank=True)
    categories = models.PositiveIntegerField(default=0)
    qualification_types = models.PositiveIntegerField(default=0)
    listed_until = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "term"], name="search_term_unique")
        ]
        indexes = [
            models.Index(
                fields=[
                    "term",
                    "-weight",
                    "organisation",
                    "listed_until",
                    "region",
                    "categories",
                    "qualification_types",
                ],
                name="search_term_rank",
            )
        ]

    def __str__(self) -> str:
        return self.term


class Pricing(models.TextChoices):
    FREE = "free", "免费"
    FIXED = "fixed", "固定收费"
    QUOTE = "quote", "按需报价"


class InstitutionService(models.Model):
    """A service an institution publishes (CAT-4), with its period and price; members order it.
    Withdrawn services stay on record (orders refer to them) and leave the public profile."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="services"
    )
    name = models.CharField("服务名称", max_length=100)
    category = models.CharField("服务类别", max_length=40, choices=Category.choices)
    catalogue_item = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name="对应平台服务事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="institution_services",
    )
    description = models.TextField("服务内容", max_length=2000)
    period_days = models.PositiveSmallIntegerField("服务周期（工作日）")
    pricing = models.CharField("收费方式", max_length=10, choices=Pricing.choices)
    price = models.DecimalField(
        "价格（元）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    price_unit = models.CharField(
        "计价单位", max_length=20, blank=True, help_text="如：台件、批次、项"
    )
    published = models.BooleanField("对外发布", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "机构服务项目"
        verbose_name_plural = "机构服务项目"
        ordering = ["category", "name", "id"]

    def __str__(self) -> str:
        return self.name

    def price_label(self) -> str:
        if self.pricing == Pricing.FIXED and self.price is not None:
            unit = f"/{self.price_unit}" if self.price_unit else ""
            return f"¥{self.price:,.2f}{unit}"
        return self.get_pricing_display()


class ImportJob(FileJob):
    """A staff import of institutions from the Excel workbook, run in the background; the page
    polls it for progress. The report is kept with the job."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        REFUSED = "refused", "未导入（有错误）"
        FAILED = "failed", "失败"

    skip_invalid = models.BooleanField("跳过有错误的行", default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.REFUSED, self.Status.FAILED)


class Synonym(models.Model):
    """Words users type for the same thing (行车 = 桥式起重机, 地磅 = 电子汽车衡), kept by
    operators; search and recommendation accept any word of a group for the others."""

    words = models.CharField(
        "同义词", max_length=200, unique=True, help_text="用顿号分隔，如：地磅、电子汽车衡"
    )
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("添加时间", auto_now_add=True)

    class Meta:
        verbose_name = "同义词"
        verbose_name_plural = "同义词"
        ordering = ["words"]

    def __str__(self) -> str:
        return self.words

    def word_list(self) -> list[str]:
        return [
            w.strip()
            for w in self.words.replace(",", "、").replace("，", "、").split("、")
            if w.strip()
        ]


class SearchWord(models.Model):
    """The scope vocabulary (objects, parameters, standard titles): the segmenter's domain
    dictionary and the list that "您是不是要找" suggests from. Grows as institutions are indexed."""

    class Kind(models.TextChoices):
        OBJECT = "object", "对象/产品"
        PARAMETER = "parameter", "项目/参数"

    word = models.CharField(max_length=60, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    pinyin = models.CharField(max_length=240, blank=True)

    def __str__(self) -> str:
        return self.word


class SearchMiss(models.Model):
    """A query that found nothing, counted, so staff see what users look for and do not find."""

    query = models.CharField("检索词", max_length=100)
    filters = models.CharField("筛选条件", max_length=100, blank=True)
    count = models.PositiveIntegerField("次数", default=1)
    first_at = models.DateTimeField("首次")
    last_at = models.DateTimeField("最近")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["query", "filters"], name="search_miss_unique")
        ]

    def __str__(self) -> str:
        return self.query
