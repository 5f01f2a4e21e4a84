"""Archive numbers and the yearly catalogue of closed cases (ARC-4, DA/T 22-2015).

An archive number reads fonds – year – retention period – organisational unit – item number,
e.g. `QH-2026-D30-XQ-0001`; see docs/filing.md for the parts and the retention periods chosen.
"""

import datetime as dt

from django.core.validators import RegexValidator
from django.db import models

from qihub.core.models import Event


class Retention(models.TextChoices):
    # The codes of DA/T 22-2015 §6.3: Y permanent, D30 and D10 fixed terms in years.
    PERMANENT = "Y", "永久"
    D30 = "D30", "定期30年"
    D10 = "D10", "定期10年"


RETENTION_YEARS: dict[str, int | None] = {
    Retention.PERMANENT: None,
    Retention.D30: 30,
    Retention.D10: 10,
}


class CaseKind(models.TextChoices):
    DEMAND = "demand", "服务需求"
    ORDER = "order", "服务订单"
    COMPLAINT = "complaint", "投诉"
    CONSULTATION = "consultation", "质量门诊咨询"
    ENTRUSTMENT = "entrustment", "全程代办"


class RetentionRule(models.Model):
    """How long one kind of case is kept, and the unit code its numbers carry (operator page)."""

    kind = models.CharField("案卷类别", max_length=20, choices=CaseKind.choices, unique=True)
    retention = models.CharField("保管期限", max_length=3, choices=Retention.choices)
    unit_code = models.CharField(
        "机构（问题）代码",
        max_length=6,
        validators=[
            RegexValidator(r"^[A-Z0-9]{2,6}$", "机构（问题）代码须为 2 至 6 位大写字母或数字")
        ],
    )
    unit_name = models.CharField("机构（问题）", max_length=40)

    class Meta:
        verbose_name = "保管期限规则"
        verbose_name_plural = "保管期限规则"
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.get_retention_display()}"


class Disposal(models.TextChoices):
    KEPT = "kept", "保管中"
    EXTENDED = "extended", "延长保管"
    DESTROYED = "destroyed", "已鉴定销毁"


class ArchiveItem(models.Model):
    """One closed case filed with its archive number (一件). Never deleted: a destroyed case
    keeps its catalogue entry, with the appraisal decision in its events."""

    number = models.CharField("档号", max_length=40, unique=True)
    fonds = models.CharField("全宗号", max_length=10)
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    retention = models.CharField("保管期限", max_length=3, choices=Retention.choices)
    unit_code = models.CharField("机构（问题）代码", max_length=6)
    unit_name = models.CharField("机构（问题）", max_length=40)
    serial = models.PositiveIntegerField("件号")
    kind = models.CharField("案卷类别", max_length=20, choices=CaseKind.choices)
    case_number = models.CharField("业务编号", max_length=40)
    title = models.CharField("题名", max_length=200)
    closed_at = models.DateTimeField("办结时间")
    filed_at = models.DateTimeField("归档时间", auto_now_add=True)
    keep_until = models.DateField("保管到期", null=True, blank=True)
    status = models.CharField(
        "处置状态", max_length=10, choices=Disposal.choices, default=Disposal.KEPT
    )
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "归档文件"
        verbose_name_plural = "归档文件"
        ordering = ["year", "retention", "unit_code", "serial"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "case_number"], name="filing_case_once")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def past_retention(self, today: dt.date) -> bool:
        return self.keep_until is not None and self.keep_until < today


class ArchiveEvent(Event):
    item = models.ForeignKey(ArchiveItem, on_delete=models.PROTECT, related_name="events")

    class Meta(Event.Meta):
        verbose_name = "归档事件"
        verbose_name_plural = "归档事件"
