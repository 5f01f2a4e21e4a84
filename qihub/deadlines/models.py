import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models


class ClockState(models.TextChoices):
    RUNNING = "running", "计时中"
    PAUSED = "paused", "已暂停"
    STOPPED = "stopped", "已结束"


class Clock(models.Model):
    """One statutory clock attached to any record. Due time is stored when it starts."""

    code = models.CharField("时限类型", max_length=40)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    object_id = models.CharField("对象编号", max_length=64)
    subject = GenericForeignKey("content_type", "object_id")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clocks",
    )
    state = models.CharField("状态", max_length=10, choices=ClockState.choices)
    started_at = models.DateTimeField("开始时间")
    due_at = models.DateTimeField("截止时间")
    provisional = models.BooleanField("暂定（日历未确认）", default=False)
    remind_at = models.DateTimeField("提醒时间")
    reminded_at = models.DateTimeField("已提醒", null=True, blank=True)
    overdue_at = models.DateTimeField("超时时间", null=True, blank=True)
    stopped_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "时限"
        verbose_name_plural = "时限"
        indexes = [
            # The sweep's two questions, each answered from a small partial index.
            models.Index(
                fields=["due_at"],
                name="clock_open_due",
                condition=models.Q(state="running", overdue_at__isnull=True),
            ),
            models.Index(
                fields=["remind_at"],
                name="clock_remind_due",
                condition=models.Q(state="running", reminded_at__isnull=True),
            ),
            models.Index(fields=["content_type", "object_id"], name="clock_subject"),
            models.Index(fields=["stopped_at"], name="clock_stopped"),  # period statistics
        ]

    def __str__(self) -> str:
        return f"{self.code} → {self.due_at:%Y-%m-%d %H:%M}"

    def is_overdue(self) -> bool:
        return self.overdue_at is not None

    def timeline(self, now: datetime.datetime) -> list[dict[str, Any]]:
        """Running and paused segments from start to stop (or now)."""
        end = self.stopped_at or now
        segments: list[dict[str, Any]] = []
        cursor = self.started_at
        for pause in self.pauses.all():
            resumed = pause.ended_at or end
            segments.append({"kind": "running", "start": cursor, "end": pause.started_at})
            segments.append(
                {
                    "kind": "paused",
                    "start": pause.started_at,
                    "end": resumed,
                    "reason": pause.reason,
                }
            )
            cursor = resumed
        if cursor < end:
            segments.append({"kind": "running", "start": cursor, "end": end})
        return [s for s in segments if s["end"] > s["start"] or s["kind"] == "paused"]


class ClockPause(models.Model):
    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField("暂停开始")
    ended_at = models.DateTimeField("暂停结束", null=True, blank=True)
    reason = models.CharField("原因", max_length=200)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "时限暂停记录"
        verbose_name_plural = "时限暂停记录"
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} → {self.ended_at or '…'} {self.reason}"


class ClockEventKind(models.TextChoices):
    STARTED = "started", "开始计时"
    PAUSED = "paused", "暂停"
    RESUMED = "resumed", "恢复计时"
    RECOMPUTED = "recomputed", "日历调整后重算"
    REMINDED = "reminded", "到期提醒"
    OVERDUE = "overdue", "超时并上报"
    STOPPED = "stopped", "结束"


class ClockEvent(models.Model):
    """Append-only history of a clock; never updated."""

    clock = models.ForeignKey(Clock, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=ClockEventKind.choices)
    at = models.DateTimeField()
    due_before = models.DateTimeField(null=True, blank=True)
    due_after = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
