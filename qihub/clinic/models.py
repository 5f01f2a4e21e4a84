"""The expert pool (DEM-15) and the quality clinic (DEM-10).

An expert is an EXPERT account enrolled by an operator with fields, a title, an organisation,
the region served, availability and declared conflicts of interest. A consultation is one
question asked by an enterprise or an individual, routed to an expert (`qihub.clinic.routing`),
answered within the `clinic_answer` clock, rated, optionally published anonymised to the Q&A
library and optionally turned into a demand.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from qihub.accounts.models import Document, Organisation, User
from qihub.catalog.models import Category
from qihub.core.models import Event


class Expert(models.Model):
    """An enrolled expert of the pool (专家库成员)."""

    user = models.OneToOneField(
        User, on_delete=models.PROTECT, related_name="expert_profile", verbose_name="专家账户"
    )
    name = models.CharField("姓名", max_length=50)
    title = models.CharField("职称", max_length=50)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="所在单位",
    )
    fields = models.JSONField("专业领域", default=list)  # Category values
    keywords = models.CharField("擅长方向", max_length=300, blank=True)
    region = models.CharField("服务地区（行政区划代码）", max_length=6)
    available = models.BooleanField("可接单", default=True)
    max_open = models.PositiveSmallIntegerField("同时处理咨询上限", default=5)
    # Organisations the expert belongs to or advises: never routed a question about them.
    conflicts = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name="利益冲突单位"
    )
    enrolled_at = models.DateTimeField("入库时间", default=timezone.now)
    enrolled_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "专家"
        verbose_name_plural = "专家库"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def field_labels(self) -> str:
        return "、".join(Category(f).label for f in self.fields if f in Category.values)

    @property
    def availability_label(self) -> str:
        return "可接单" if self.available else "暂停"

    def conflicted(self, organisation: Organisation | None) -> bool:
        """Belongs to or advises the organisation the question is about."""
        if organisation is None:
            return False
        if self.organisation_id == organisation.pk:
            return True
        return self.conflicts.filter(pk=organisation.pk).exists()


class ConsultationStatus(models.TextChoices):
    WAITING = "waiting", "待分派专家"
    ROUTED = "routed", "待专家回答"
    ASKED_BACK = "asked_back", "专家追问待补充"
    ANSWERED = "answered", "专家已回答"
    DEMANDED = "demanded", "已转为服务需求"


OPEN_STATUSES = [ConsultationStatus.ROUTED, ConsultationStatus.ASKED_BACK]


def default_answer_days() -> int:
    return int(getattr(settings, "CLINIC_ANSWER_DAYS", 2))


class Consultation(models.Model):
    """One question to the quality clinic (质量门诊咨询)."""

    number = models.CharField("咨询编号", max_length=20, unique=True)
    asker = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="consultations", verbose_name="提问人"
    )
    field = models.CharField("专业领域", max_length=30, choices=Category.choices)
    title = models.CharField("问题标题", max_length=100)
    question = models.TextField("问题描述", max_length=3000)
    institution = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="涉及机构",
    )
    region = models.CharField("所在地区（行政区划代码）", max_length=6)
    documents = models.ManyToManyField(Document, blank=True, related_name="+")
    expert = models.ForeignKey(
        Expert,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name="回答专家",
    )
    status = models.CharField("状态", max_length=12, choices=ConsultationStatus.choices)
    version = models.PositiveIntegerField(default=1)
    # The answer clock's length, read from the settings when the question is asked, so a
    # later change of the setting does not move the deadline of questions already running.
    answer_days = models.PositiveSmallIntegerField(
        "答复时限（工作日）", default=default_answer_days
    )
    asked_at = models.DateTimeField("提问时间", default=timezone.now)
    pending_question = models.CharField("专家追问", max_length=1000, blank=True)
    answer = models.TextField("专家答复", max_length=5000, blank=True)
    needs_test = models.BooleanField("建议检测", default=False)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    on_time = models.BooleanField("按时答复", null=True, blank=True)
    rating = models.PositiveSmallIntegerField("评分", null=True, blank=True)
    rating_note = models.CharField("评价意见", max_length=500, blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    public_title = models.CharField("公开标题", max_length=100, blank=True)
    public_question = models.TextField("公开问题", blank=True)
    public_answer = models.TextField("公开答复", blank=True)
    demand = models.ForeignKey(
        "demands.Demand",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="转成的需求",
    )

    class Meta:
        verbose_name = "质量门诊咨询"
        verbose_name_plural = "质量门诊咨询"
        ordering = ["-asked_at", "-id"]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ConsultationEvent(Event):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        pass
