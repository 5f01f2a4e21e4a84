from django.conf import settings
from django.db import models


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
