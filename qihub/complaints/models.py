from django.db import models

from qihub.accounts.models import Document, Organisation, Station, User
from qihub.accounts.roles import BACK_OFFICE, INSTITUTIONS
from qihub.core.models import Event
from qihub.orders.models import Order


class ComplaintType(models.Model):
    """The managed taxonomy of complaint types (operators add or retire types in the admin)."""

    name = models.CharField("投诉类型", max_length=50, unique=True)
    active = models.BooleanField("启用", default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "投诉类型"
        verbose_name_plural = "投诉类型"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class ComplaintChannel(models.TextChoices):
    WEB = "web", "网上投诉"
    PHONE = "phone", "电话"
    WINDOW = "window", "窗口"
    LETTER = "letter", "信函"


class Target(models.TextChoices):
    INSTITUTION = "institution", "技术机构"
    STATION = "station", "服务站点/窗口"
    STAFF = "staff", "工作人员"


class ComplaintStatus(models.TextChoices):
    ACCEPTED = "accepted", "已受理，调查中"
    FORWARDED = "forwarded", "已转机构，待答复"
    RESPONDED = "responded", "机构已答复"
    DECIDED = "decided", "已处理，待反馈"
    CLOSED = "closed", "已反馈投诉人"


class ComplaintQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> "ComplaintQuerySet":
        """Complainants see their own; an institution only what was forwarded to it; staff all."""
        if not user.is_authenticated:
            return self.none()
        if user.role in BACK_OFFICE:
            return self
        if user.role in INSTITUTIONS:
            return self.filter(against_organisation__account=user, forwarded_at__isnull=False)
        return self.filter(complainant=user)


class Complaint(models.Model):
    number = models.CharField("投诉编号", max_length=20, unique=True)
    # Empty while the complaint belongs to a caller without an account (`caller`, ADR 0012).
    complainant = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    caller = models.OneToOneField(
        "accounts.Caller",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaint",
        verbose_name="无账户投诉人",
    )
    channel = models.CharField("渠道", max_length=8, choices=ComplaintChannel.choices)
    entered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target = models.CharField("被投诉方类型", max_length=12, choices=Target.choices)
    against_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name="被投诉机构",
    )
    against_name = models.CharField("被投诉站点或人员", max_length=100, blank=True)
    # Linked when the name is a station's, or when the investigation identifies the staff member
    # (their appraisal counts it, CMP-4).
    against_station = models.ForeignKey(
        Station, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    against_staff = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_about",
        verbose_name="被投诉工作人员",
    )
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    type = models.ForeignKey(ComplaintType, on_delete=models.PROTECT, verbose_name="投诉类型")
    content = models.TextField("投诉内容", max_length=3000)
    request = models.TextField("投诉诉求", max_length=1000)
    documents = models.ManyToManyField(Document, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=ComplaintStatus.choices)
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField("受理时间")
    findings = models.TextField("调查核实情况", blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    institution_response = models.TextField("机构答复", blank=True)
    substantiated = models.BooleanField("投诉属实", null=True, blank=True)
    decision = models.TextField("处理决定", blank=True)
    outcome = models.TextField("反馈投诉人的处理结果", blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    complainant_satisfied = models.BooleanField("投诉人对处理是否满意", null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = "投诉"
        verbose_name_plural = "投诉"
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["submitted_at"], name="complaint_submitted")]

    def __str__(self) -> str:
        return self.number

    def against(self) -> str:
        return self.against_organisation.name if self.against_organisation else self.against_name

    def progress(self, *, handler: bool) -> list[dict]:
        """The timeline: handlers read every note; others see that the internal steps happened,
        not what the investigation found or decided."""
        return [
            {
                "at": e.at,
                "note": e.note
                if handler or e.kind in PUBLIC_NOTES
                else INTERNAL.get(e.kind, e.kind),
            }
            for e in self.events.all()
        ]


PUBLIC_NOTES = {"accepted", "paused", "resumed", "closed", "rated", "claimed"}
INTERNAL = {
    "investigated": "平台调查核实",
    "forwarded": "已转被投诉机构核实答复",
    "institution_responded": "被投诉机构已答复",
    "decided": "平台已作出处理决定",
}


class ComplaintEvent(Event):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        verbose_name = "投诉办理记录"
        verbose_name_plural = "投诉办理记录"


class OpinionChannel(models.TextChoices):
    BOX = "box", "意见箱（网上）"
    HOTLINE = "hotline", "监督热线"
    WINDOW = "window", "窗口意见簿"
    LETTER = "letter", "来信"


class OpinionKind(models.TextChoices):
    SUGGESTION = "suggestion", "建议"
    CRITICISM = "criticism", "批评"
    PRAISE = "praise", "表扬"
    QUESTION = "question", "咨询"


class OpinionStatus(models.TextChoices):
    OPEN = "open", "待处理"
    CLOSED = "closed", "已处理"


class Opinion(models.Model):
    """An opinion from the suggestion box or the supervision hotline (CMP-3); closing it records the
    reply and the improvement it led to."""

    number = models.CharField("意见编号", max_length=20, unique=True)
    channel = models.CharField("渠道", max_length=8, choices=OpinionChannel.choices)
    kind = models.CharField("意见类别", max_length=12, choices=OpinionKind.choices)
    content = models.TextField("意见内容", max_length=2000)
    submitted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="opinions"
    )
    contact = models.CharField("联系方式（可选）", max_length=50, blank=True)
    recorded_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="登记人",
    )
    received_at = models.DateTimeField("收到时间")
    status = models.CharField("状态", max_length=8, choices=OpinionStatus.choices)
    reply = models.TextField("答复", blank=True)
    improvement = models.TextField("改进措施", blank=True)
    handled_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="处理人",
    )
    closed_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        verbose_name = "意见建议"
        verbose_name_plural = "意见建议"
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.number


class OpinionEvent(Event):
    """Receiving and closing an opinion, one row each (CMP-3)."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        verbose_name = "意见办理记录"
        verbose_name_plural = "意见办理记录"
