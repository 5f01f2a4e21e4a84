from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from qihub.accounts.models import Organisation, Station, User
from qihub.complaints.models import Complaint
from qihub.core.models import Event
from qihub.orders.models import Order

SCORE = [MinValueValidator(1), MaxValueValidator(5)]
INDICATORS = {
    "process": "服务流程",
    "timeliness": "办理时效",
    "attitude": "服务态度",
    "competence": "专业能力",
    "overall": "总体满意度",
}


class EvaluationChannel(models.TextChoices):
    ONLINE = "online", "网上评价"
    PHONE = "phone", "电话（工作人员代录）"
    SMS = "sms", "短信（工作人员代录）"


class EvaluationStatus(models.TextChoices):
    EVALUATED = "evaluated", "已评价"
    ANALYSED = "analysed", "已分析原因"


class Evaluation(models.Model):
    """One evaluation per completed order (一事一评, EVAL-1)."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="evaluation")
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="evaluations")
    channel = models.CharField("评价渠道", max_length=8, choices=EvaluationChannel.choices)
    entered_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="代录人员",
    )
    process = models.PositiveSmallIntegerField("服务流程", validators=SCORE)
    timeliness = models.PositiveSmallIntegerField("办理时效", validators=SCORE)
    attitude = models.PositiveSmallIntegerField("服务态度", validators=SCORE)
    competence = models.PositiveSmallIntegerField("专业能力", validators=SCORE)
    overall = models.PositiveSmallIntegerField("总体满意度", validators=SCORE)
    comment = models.CharField("评价意见", max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now)
    # Every dissatisfied evaluation is analysed (EVAL-6): cause and what follows from it.
    analysis = models.TextField("不满意原因分析", blank=True)
    analysed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    analysed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.EVALUATED
    )

    class Meta:
        verbose_name = "服务评价"
        verbose_name_plural = "服务评价"
        indexes = [models.Index(fields=["at"], name="evaluation_at")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    process__range=(1, 5),
                    timeliness__range=(1, 5),
                    attitude__range=(1, 5),
                    competence__range=(1, 5),
                    overall__range=(1, 5),
                ),
                name="evaluation_scores_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.order.number} {self.overall}"

    def dissatisfied(self) -> bool:
        return self.overall <= 2


class EvaluationEvent(Event):
    """The evaluation's history: given (or entered by staff), then analysed (EVAL-6)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        pass


class ReturnVisitStatus(models.TextChoices):
    SCHEDULED = "scheduled", "待回访"
    DONE = "done", "已回访"


class ServiceKind(models.TextChoices):
    """The kinds of service a return visit follows up (EVAL-2)."""

    ORDER = "order", "订单服务"
    CONSULTATION = "consultation", "质量门诊咨询"
    ENTRUSTMENT = "entrustment", "全程代办"


class ReturnVisit(models.Model):
    """A return visit (回访) to the client of a closed service and its recorded result (EVAL-2).

    The service is one of three nullable foreign keys rather than a generic relation: the kinds
    are few and fixed, each key keeps its referential integrity (PROTECT) and joins for the
    lists, filters and the Excel export, and the rows made when visits were for orders only
    keep their `order` column as it is. A check constraint says exactly one is set.
    """

    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="return_visits"
    )
    consultation = models.ForeignKey(
        "clinic.Consultation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="return_visits",
    )
    entrustment = models.ForeignKey(
        "agency.Entrustment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="return_visits",
    )
    scheduled_for = models.DateField("计划回访日期")
    scheduled_at = models.DateTimeField("安排时间", default=timezone.now)
    # Empty when the platform scheduled it on the service's closing.
    scheduled_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField("回访时间", null=True, blank=True)
    done_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField("回访方式", max_length=20, blank=True)
    result = models.CharField("回访结果", max_length=1000, blank=True)
    satisfied = models.BooleanField("客户满意", null=True, blank=True)
    problems = models.CharField("客户反映的问题", max_length=1000, blank=True)
    status = models.CharField(
        "状态",
        max_length=10,
        choices=ReturnVisitStatus.choices,
        default=ReturnVisitStatus.SCHEDULED,
    )

    class Meta:
        ordering = ["scheduled_for", "id"]
        constraints = [
            models.CheckConstraint(
                name="return_visit_one_service",
                condition=(
                    models.Q(
                        order__isnull=False, consultation__isnull=True, entrustment__isnull=True
                    )
                    | models.Q(
                        order__isnull=True, consultation__isnull=False, entrustment__isnull=True
                    )
                    | models.Q(
                        order__isnull=True, consultation__isnull=True, entrustment__isnull=False
                    )
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_number} {self.scheduled_for}"

    @property
    def service(self) -> models.Model:
        return self.order or self.consultation or self.entrustment  # type: ignore[return-value]

    @property
    def service_kind(self) -> str:
        if self.order_id:
            return ServiceKind.ORDER
        return ServiceKind.CONSULTATION if self.consultation_id else ServiceKind.ENTRUSTMENT

    @property
    def service_kind_label(self) -> str:
        return ServiceKind(self.service_kind).label

    @property
    def service_number(self) -> str:
        return self.service.number

    @property
    def service_url(self) -> str:
        from django.urls import reverse

        app = {"order": "orders", "consultation": "clinic", "entrustment": "agency"}
        return reverse(f"{app[self.service_kind]}:detail", args=[self.service_number])

    @property
    def client(self) -> User:
        """Whom the visit calls: the order's client, the asker, the entrusting client."""
        if self.order_id:
            return self.order.client
        return self.consultation.asker if self.consultation_id else self.entrustment.client

    @property
    def visit_days(self) -> int:
        """The clock's length (calendar days from scheduling to the planned day)."""
        start = timezone.localtime(self.scheduled_at).date()
        return max(0, (self.scheduled_for - start).days)


class ReturnVisitEvent(Event):
    """The visit's history: scheduled, then its result recorded."""

    visit = models.ForeignKey(ReturnVisit, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        pass


class Method(models.TextChoices):
    """Who evaluates (EVAL-5); service evaluations by users count as USER."""

    USER = "user", "用户满意度评价"
    SELF = "self", "自我评价"
    THIRD_PARTY = "third_party", "第三方评价"


class Campaign(models.Model):
    """A satisfaction survey run by staff: a self-evaluation, a user survey or a third-party
    evaluation of the platform, one institution or one station in one quarter (EVAL-3, EVAL-5)."""

    title = models.CharField("评价活动名称", max_length=100)
    method = models.CharField("评价方式", max_length=12, choices=Method.choices)
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField(
        "季度", validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    institution = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="被评机构",
    )
    station = models.ForeignKey(
        Station,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="被评站点",
    )
    evaluator = models.CharField("评价主体（第三方机构名称等）", max_length=100, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "满意度评价活动"
        verbose_name_plural = "满意度评价活动"
        ordering = ["-year", "-quarter", "-id"]

    def __str__(self) -> str:
        return self.title

    def subject(self) -> str:
        if self.institution:
            return self.institution.name
        return self.station.name if self.station else "平台"


class CampaignResponse(models.Model):
    """One completed questionnaire: a 1–5 score per indicator of the model (see satisfaction.py)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    scores = models.JSONField("各指标得分")
    comment = models.CharField("意见", max_length=500, blank=True)
    entered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.campaign} #{self.pk}"


class CheckKind(models.TextChoices):
    INTERNAL = "internal", "内部评价（每年至少一次）"
    AD_HOC = "ad_hoc", "统筹部门不定期评价"


class WindowCheck(models.Model):
    """One evaluation of a station against the QHD Annex B checklist (EVAL-8)."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="checks")
    kind = models.CharField("评价类型", max_length=10, choices=CheckKind.choices)
    checked_on = models.DateField("评价日期")
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    results = models.JSONField("逐项结果")  # {item code: {"ok": bool, "note": str}}
    summary = models.CharField("总体意见", max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "窗口评价"
        verbose_name_plural = "窗口评价"
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.station} {self.checked_on}"

    def failed(self) -> list[str]:
        return [code for code, result in self.results.items() if not result.get("ok")]


class RectificationSource(models.TextChoices):
    COMPLAINT = "complaint", "投诉属实"
    EVALUATION = "evaluation", "不满意评价"
    WINDOW_CHECK = "window_check", "窗口评价不合格项"


class RectificationStatus(models.TextChoices):
    OPEN = "open", "待制定整改计划"
    PLANNED = "planned", "整改中"
    ACTED = "acted", "待验证"
    CLOSED = "closed", "已验证有效，已关闭"


class Rectification(models.Model):
    """Rectify within 15 working days (EVAL-9): plan, corrective actions, verification of
    effectiveness by the operator; the re-check result is published."""

    number = models.CharField("整改编号", max_length=20, unique=True)
    source = models.CharField("整改来源", max_length=14, choices=RectificationSource.choices)
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evaluation = models.ForeignKey(
        Evaluation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    window_check = models.ForeignKey(
        WindowCheck, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    check_item = models.CharField("评价项", max_length=20, blank=True)
    institution = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectifications",
        verbose_name="整改机构",
    )
    station = models.ForeignKey(
        Station,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectifications",
        verbose_name="整改站点",
    )
    problem = models.TextField("存在问题", max_length=2000)
    plan = models.TextField("整改计划", blank=True)
    actions = models.TextField("纠正措施", blank=True)
    verification = models.TextField("有效性验证（复查结果）", blank=True)
    status = models.CharField("状态", max_length=8, choices=RectificationStatus.choices)
    version = models.PositiveIntegerField(default=1)
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField("开始时间")
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)

    class Meta:
        verbose_name = "整改"
        verbose_name_plural = "整改"
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.number

    def subject(self) -> str:
        if self.institution:
            return self.institution.name
        return self.station.name if self.station else "平台"


class RectificationEvent(Event):
    rectification = models.ForeignKey(
        Rectification, on_delete=models.CASCADE, related_name="events"
    )

    class Meta(Event.Meta):
        pass
