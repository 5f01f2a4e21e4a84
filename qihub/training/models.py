"""Trainings, events and staff records (TRN-1, TRN-2; folds in EVAL-7).

- `TrainingEvent`: a training, skills competition, seminar or benchmark visit that an operator or
  an institution publishes (topic, field, hours, place or online, capacity, fee, deadline).
- `Enrolment`: one person's place at an event, moving on the one workflow mechanism (ADR 0009):
  enrolled or waiting → checked in at the door by QR or short code → attended with a result;
  its history is `EnrolmentEvent`.
- `TrainingRecord`: the ONE training table. Attendance at a platform event, a training taken
  elsewhere, and the retraining of the appraisal hold (EVAL-7, formerly `StaffTraining`) are
  rows of it; a person's hours per year are summed from it.
- `Qualification`: a staff member's certificate and its validity.
- `PledgeVersion` / `PledgeSignature`: the confidentiality pledge, versioned; a staff member's
  pledge is valid while they have signed the current version (see `pledges.py`).
"""

from decimal import Decimal

from django.db import models
from django.utils import timezone

from qihub.accounts.models import User
from qihub.core.models import Event


class EventKind(models.TextChoices):
    TRAINING = "training", "培训"
    COMPETITION = "competition", "技能竞赛"
    SEMINAR = "seminar", "研讨会"
    VISIT = "visit", "标杆对标参观"


class Field(models.TextChoices):
    METROLOGY = "metrology", "计量"
    STANDARDS = "standards", "标准化"
    TESTING = "testing", "检验检测"
    CERTIFICATION = "certification", "认证认可"
    IP = "ip", "知识产权"
    QUALITY = "quality", "质量管理与首席质量官"
    SERVICE = "service", "窗口服务规范"
    OTHER = "other", "其他"


class TrainingEvent(models.Model):
    number = models.CharField("活动编号", max_length=30, unique=True)
    kind = models.CharField("活动类型", max_length=12, choices=EventKind.choices)
    topic = models.CharField("主题", max_length=120)
    field = models.CharField("专业领域", max_length=16, choices=Field.choices)
    description = models.TextField("活动简介", blank=True)
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    starts_at = models.DateTimeField("开始时间")
    online = models.BooleanField("线上举办", default=False)
    place = models.CharField("地点或线上会议链接", max_length=200)
    capacity = models.PositiveIntegerField("名额")
    fee = models.DecimalField("费用（元，0 为免费）", max_digits=9, decimal_places=2, default=0)
    enrol_by = models.DateTimeField("报名截止")
    organiser = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="organised_trainings", verbose_name="主办方"
    )
    created_at = models.DateTimeField("发布时间", default=timezone.now)

    class Meta:
        verbose_name = "培训活动"
        verbose_name_plural = "培训活动"
        ordering = ["-starts_at", "-pk"]

    def __str__(self) -> str:
        return self.topic

    @property
    def free(self) -> bool:
        return not self.fee

    @property
    def fee_label(self) -> str:
        return "免费" if self.free else f"{self.fee} 元"

    def taken(self) -> int:
        """Places held: enrolled, checked in or attended (a waiter holds none)."""
        return self.enrolments.filter(status__in=HOLDING).count()

    def open_for_enrolment(self) -> bool:
        return timezone.now() <= self.enrol_by


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", "已报名"
    WAITING = "waiting", "候补中"
    CANCELLED = "cancelled", "已取消"
    CHECKED_IN = "checked_in", "已签到"
    ATTENDED = "attended", "已结业"


HOLDING = (EnrolmentStatus.ENROLLED, EnrolmentStatus.CHECKED_IN, EnrolmentStatus.ATTENDED)


class Result(models.TextChoices):
    PASSED = "passed", "合格"
    FAILED = "failed", "不合格"
    AWARDED = "awarded", "获奖"
    ATTENDED = "attended", "全程参加"


class Enrolment(models.Model):
    event = models.ForeignKey(
        TrainingEvent, on_delete=models.PROTECT, related_name="enrolments", verbose_name="活动"
    )
    participant = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="enrolments", verbose_name="报名人"
    )
    # The short code printed under the QR and typed at the door when the QR cannot be scanned.
    code = models.CharField("签到码", max_length=12, unique=True)
    status = models.CharField("状态", max_length=12, choices=EnrolmentStatus.choices)
    enrolled_at = models.DateTimeField("报名时间", default=timezone.now)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    result = models.CharField("结果", max_length=10, choices=Result.choices, blank=True)
    reminded_at = models.DateTimeField("提醒时间", null=True, blank=True)
    rating = models.PositiveSmallIntegerField("活动评价", null=True, blank=True)
    comment = models.CharField("评价意见", max_length=500, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "培训报名"
        verbose_name_plural = "培训报名"
        ordering = ["enrolled_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "participant"],
                condition=~models.Q(status="cancelled"),
                name="one_live_enrolment_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.participant}"


class EnrolmentEvent(Event):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        verbose_name = "报名记录"
        verbose_name_plural = "报名记录"


class RecordSource(models.TextChoices):
    EVENT = "event", "平台培训活动"
    OUTSIDE = "outside", "外部培训"
    RETRAINING = "retraining", "复训"


class TrainingRecord(models.Model):
    """One training a person took; the hours per year are summed from here (TRN-2)."""

    person = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="trainings", verbose_name="参训人"
    )
    source = models.CharField("来源", max_length=12, choices=RecordSource.choices)
    held_on = models.DateField("培训日期")
    topic = models.CharField("培训内容", max_length=200)
    organiser = models.CharField("主办单位", max_length=120, blank=True)
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1, default=Decimal(0))
    passed = models.BooleanField("考核合格", default=True)
    enrolment = models.OneToOneField(
        Enrolment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="record",
        verbose_name="报名",
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "培训记录"
        verbose_name_plural = "培训记录"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person} {self.held_on} {self.topic}"


class Qualification(models.Model):
    holder = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="qualifications", verbose_name="持证人"
    )
    name = models.CharField("资质名称", max_length=120)
    number = models.CharField("证书编号", max_length=60, blank=True)
    issuer = models.CharField("发证机关", max_length=120, blank=True)
    valid_from = models.DateField("取得日期")
    valid_until = models.DateField("有效期至", null=True, blank=True)  # empty: long-term
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "人员资质"
        verbose_name_plural = "人员资质"
        ordering = ["valid_until", "pk"]

    def __str__(self) -> str:
        return self.name


class PledgeVersion(models.Model):
    version = models.PositiveIntegerField("版本号", unique=True)
    text = models.TextField("承诺书正文")
    published_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField("发布时间", default=timezone.now)

    class Meta:
        verbose_name = "保密承诺书版本"
        verbose_name_plural = "保密承诺书版本"
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"保密承诺书第 {self.version} 版"


class PledgeSignature(models.Model):
    pledge = models.ForeignKey(PledgeVersion, on_delete=models.PROTECT, related_name="signatures")
    signer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="pledges")
    signed_at = models.DateTimeField("签署时间", default=timezone.now)

    class Meta:
        verbose_name = "保密承诺书签署"
        verbose_name_plural = "保密承诺书签署"
        constraints = [
            models.UniqueConstraint(fields=["pledge", "signer"], name="one_signature_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.signer} {self.pledge}"
