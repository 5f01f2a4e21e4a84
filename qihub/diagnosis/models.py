"""Quality diagnosis (ENT-7) and the showcase of excellent enterprises (ENT-6).

A diagnosis visit records what was seen at an enterprise; each problem found is a workflow record
(ADR 0009) followed up to closure with a clock. A showcase entry is published only once the
enterprise agrees, and leaves the public pages when it withdraws its consent.
"""

import datetime as dt

from django.db import models
from django.utils import timezone

from qihub.accounts.models import MemberKind, Organisation, User
from qihub.core.models import Event
from qihub.workcal.calendar import local_date


class VisitKind(models.TextChoices):
    FIVE_S = "5s", "5S 现场管理"
    PROCESS = "process", "工艺过程"
    TEST_DATA = "test_data", "检验数据"
    OVERALL = "overall", "综合诊断"


class Visit(models.Model):
    """One diagnosis visit to an enterprise (质量诊断记录)."""

    number = models.CharField("诊断编号", max_length=20, unique=True)
    enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="diagnoses", verbose_name="企业"
    )
    visited_on = models.DateField("诊断日期")
    kind = models.CharField("诊断类型", max_length=12, choices=VisitKind.choices)
    visitors = models.CharField("诊断人员", max_length=200)
    findings = models.TextField("诊断发现", max_length=5000)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("录入时间", default=timezone.now)

    class Meta:
        verbose_name = "质量诊断记录"
        verbose_name_plural = "质量诊断记录"
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return self.number


class Severity(models.TextChoices):
    MINOR = "minor", "一般"
    MAJOR = "major", "较重"
    CRITICAL = "critical", "严重"


class ProblemStatus(models.TextChoices):
    OPEN = "open", "待整改"
    IN_PROGRESS = "in_progress", "整改中"
    SOLVED = "solved", "已解决"
    NOT_SOLVED = "not_solved", "未解决"


OPEN_PROBLEM_STATUSES = [ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS]


class Problem(models.Model):
    """A problem found on a visit, with the proposed solution, followed up to closure."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="problems")
    description = models.CharField("问题描述", max_length=1000)
    severity = models.CharField("严重程度", max_length=10, choices=Severity.choices)
    solution = models.CharField("建议解决措施", max_length=1000)
    due_date = models.DateField("整改期限")
    status = models.CharField("状态", max_length=12, choices=ProblemStatus.choices)
    answer = models.CharField("企业最新答复", max_length=1000, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "诊断问题"
        verbose_name_plural = "诊断问题"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.description[:30]

    @property
    def days_to_due(self) -> int:
        """The follow-up clock's length: calendar days from recording to the agreed due date."""
        return max(1, (self.due_date - local_date(self.created_at)).days)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_PROBLEM_STATUSES


class ProblemEvent(Event):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        pass


class Risk(models.Model):
    """A parameter of a product that failed twice or more within 12 months (重复不合格)."""

    enterprise = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="quality_risks"
    )
    product = models.CharField("产品", max_length=100)
    parameter = models.CharField("检测参数", max_length=100)
    failures = models.PositiveIntegerField("12 个月内不合格次数")
    last_failed_on = models.DateField("最近不合格日期")
    flagged_at = models.DateTimeField("发现时间")
    active = models.BooleanField("仍在 12 个月内", default=True)

    class Meta:
        verbose_name = "质量风险"
        verbose_name_plural = "质量风险"
        ordering = ["-last_failed_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "product", "parameter"], name="risk_once_per_parameter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.parameter}"


class ShowcaseKind(models.TextChoices):
    ENTERPRISE = "enterprise", "优秀企业"
    PRODUCT = "product", "优质产品"
    ACHIEVEMENT = "achievement", "质量成果"


class ShowcaseStatus(models.TextChoices):
    AWAITING = "awaiting", "待企业同意"
    PUBLISHED = "published", "已公开展示"
    DECLINED = "declined", "企业未同意"
    WITHDRAWN = "withdrawn", "企业已撤回同意"


class ShowcaseQuerySet(models.QuerySet):
    def published(self) -> "ShowcaseQuerySet":
        return self.filter(status=ShowcaseStatus.PUBLISHED)


class ShowcaseEntry(models.Model):
    """An excellent enterprise, product or achievement, public only with the enterprise's consent."""

    kind = models.CharField("类别", max_length=12, choices=ShowcaseKind.choices)
    title = models.CharField("标题", max_length=120)
    enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="showcase", verbose_name="企业"
    )
    summary = models.TextField("简介", max_length=3000)
    year = models.PositiveSmallIntegerField("年度")
    honours = models.CharField("所获荣誉", max_length=500, blank=True)
    # Optional; served publicly only while the entry is published (`diagnosis:showcase_photo`).
    photo = models.ForeignKey(
        "accounts.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="照片",
    )
    status = models.CharField("状态", max_length=12, choices=ShowcaseStatus.choices)
    version = models.PositiveIntegerField(default=1)
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)

    objects = ShowcaseQuerySet.as_manager()

    class Meta:
        verbose_name = "企业风采"
        verbose_name_plural = "企业风采"
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title


class ShowcaseEvent(Event):
    entry = models.ForeignKey(ShowcaseEntry, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        pass


def enterprise_of(user: User) -> Organisation | None:
    """The enterprise an account speaks for (none for other roles)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Organisation.objects.filter(account=user, kind=MemberKind.ENTERPRISE).first()


def twelve_months_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
