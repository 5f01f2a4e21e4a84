"""Standards information and watch (ENT-3): the table operators load from the national standards
portal's export, the loads themselves, and what enterprises watch."""

import re

from django.db import models

from qihub.core.models import FileJob
from qihub.institutions.tokens import document_terms, normalise, standard_key


class Kind(models.TextChoices):
    GB = "gb", "国家标准"
    GBT = "gbt", "推荐性国家标准"
    INDUSTRY = "industry", "行业标准"
    LOCAL = "local", "地方标准"
    GROUP = "group", "团体标准"
    ENTERPRISE = "enterprise", "企业标准"


class Status(models.TextChoices):
    CURRENT = "current", "现行"
    UPCOMING = "upcoming", "即将实施"
    SUPERSEDED = "superseded", "被代替"
    WITHDRAWN = "withdrawn", "废止"


def kind_of(number: str) -> str:
    """The kind a number's prefix says (GB/T → recommended national, DB32 → local …); "" when
    the prefix says nothing (the file's 标准类别 column, if any, decides)."""
    text = normalise(number).strip()
    if re.match(r"gb\s*/\s*[tz]", text):
        return Kind.GBT
    if re.match(r"gb\s*\d", text):
        return Kind.GB
    if re.match(r"db\s*\d", text):
        return Kind.LOCAL
    if re.match(r"t\s*/", text):
        return Kind.GROUP
    if re.match(r"q\s*/", text):
        return Kind.ENTERPRISE
    if re.match(r"[a-z]{1,4}\s*(/\s*[tz])?\s*\d", text):
        return Kind.INDUSTRY
    return ""


class Standard(models.Model):
    number = models.CharField("标准号", max_length=80)
    # standard_key(number): the number whatever its spelling, without and with the year.
    key = models.CharField(max_length=80, db_index=True, editable=False)
    year = models.CharField(max_length=4, blank=True, editable=False)
    title = models.CharField("标准名称", max_length=300)
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    # Copied from the portal's file by each load (the loader is its only writer): the status of
    # a published document, not a step anyone takes on the platform, so no workflow moves it.
    status = models.CharField("状态", max_length=12, choices=Status.choices, db_index=True)
    issued_on = models.DateField("发布日期", null=True, blank=True)
    effective_on = models.DateField("实施日期", null=True, blank=True)
    withdrawn_on = models.DateField("废止日期", null=True, blank=True)
    # Numbers as the portal writes them (several separated by 、); linked by key when shown.
    replaces = models.CharField("代替标准", max_length=300, blank=True)
    replaced_by = models.CharField("被代替标准", max_length=300, blank=True)
    demo = models.BooleanField("演示数据", default=False)
    # The search terms of number and title (tokens.document_terms), space-separated and framed
    # by spaces, so 查新 finds words in any order with one LIKE per word.
    terms = models.TextField(default="", editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "标准"
        verbose_name_plural = "标准"
        ordering = ["key", "-year"]
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="standard_edition")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.key, self.year = standard_key(self.number) or (self.number.lower(), "")
        self.terms = " " + " ".join(sorted(document_terms(f"{self.number} {self.title}"))) + " "
        super().save(*args, **kwargs)

    def replaced_by_list(self) -> list[str]:
        return split_numbers(self.replaced_by)

    def replaces_list(self) -> list[str]:
        return split_numbers(self.replaces)


def split_numbers(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"[、,，;；\n]+", text or "") if p.strip()]


class LoadJob(FileJob):
    """One operator load of the portal's export, run in the background; the page polls it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "导入中"
        DONE = "done", "已完成"
        FAILED = "failed", "未导入"

    demo = models.BooleanField("演示数据", default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    unchanged = models.PositiveIntegerField(default=0)
    # [{"number", "title", "change", "detail"}, …]
    changes = models.JSONField(default=list)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class Watch(models.Model):
    """An enterprise account watching one edition; a load that changes its status records the
    change here (shown until the enterprise marks it read) and notifies the account."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    standard = models.ForeignKey(Standard, on_delete=models.CASCADE, related_name="watches")
    created_at = models.DateTimeField("关注时间", auto_now_add=True)
    change = models.CharField("最近变化", max_length=300, blank=True)
    changed_at = models.DateTimeField("变化时间", null=True, blank=True)
    unread = models.BooleanField(default=False)

    class Meta:
        ordering = ["-unread", "-changed_at", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "standard"], name="one_watch")]

    def __str__(self) -> str:
        return str(self.standard)
