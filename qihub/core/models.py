from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """Who read or did what, when and why (ARC-2, ARC-3); rows are never updated."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField("操作", max_length=40)
    target_type = models.CharField("对象类型", max_length=60)
    target_id = models.CharField("对象编号", max_length=64)
    field = models.CharField("字段", max_length=60, blank=True)
    reason = models.CharField("原因", max_length=200, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target_type}#{self.target_id}"


class Counter(models.Model):
    """Yearly serial numbers for records people quote (XQ-2026-000001); see `core.numbering`."""

    key = models.CharField(max_length=40, unique=True)
    value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class Event(models.Model):
    """The one event shape: every app's history table subclasses this and adds its foreign key.

    One row per change; rows are never updated. `before`/`after` hold the old and new values of
    edited fields, so an edit is history rather than an overwrite (ARC-2)."""

    kind = models.CharField("事项", max_length=30)
    from_status = models.CharField("原状态", max_length=30, blank=True, default="")
    to_status = models.CharField("新状态", max_length=30, blank=True, default="")
    at = models.DateTimeField("时间", default=timezone.now)
    by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="操作人",
    )
    note = models.CharField("说明", max_length=500, blank=True)
    before = models.JSONField("变更前", default=dict, blank=True)
    after = models.JSONField("变更后", default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
