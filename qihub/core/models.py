from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
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

    # --- as people read it (issue 15: no raw status or field names on a page) -------------
    def _workflow(self) -> Any:
        """The workflow table whose history this is (it knows the record and its moves)."""
        from qihub.core.workflow import load_all

        return next((w for w in load_all() if w.events is type(self)), None)

    def status_label(self, value: str) -> str:
        """A status value of the record, by the Chinese label of its model field's choices."""
        flow = self._workflow()
        if not value or flow is None:
            return value
        field = flow.model._meta.get_field(flow.status_field)
        return str(dict(field.flatchoices).get(value, value))

    @property
    def from_label(self) -> str:
        return self.status_label(self.from_status)

    @property
    def to_label(self) -> str:
        return self.status_label(self.to_status)

    @property
    def transition(self) -> str:
        """“已提交 → 审核通过” when the status moved, else empty."""
        if not self.to_status or self.from_status == self.to_status:
            return ""
        if not self.from_status:
            return self.to_label
        return f"{self.from_label} → {self.to_label}"

    @property
    def kind_label(self) -> str:
        """What was done, by the label of the workflow move that recorded it."""
        flow = self._workflow()
        moves = [m for m in flow.moves.values() if m.kind == self.kind] if flow is not None else []
        # Two moves may record the same kind (确认订单, 接受报价): the one from this status.
        source = self.from_status or None
        taken = [m for m in moves if m.sources is None or source in m.sources] or moves
        if taken:
            return taken[0].label
        return flow.kind_labels.get(self.kind, self.kind) if flow is not None else self.kind

    @property
    def edits(self) -> list[tuple[str, object, object]]:
        """(Chinese field name, before, after) for each edited field of the record."""
        flow = self._workflow()
        return field_edits(flow.model if flow is not None else None, self.before, self.after)


def field_edits(
    model: type[models.Model] | None, before: dict, after: dict
) -> list[tuple[str, object, object]]:
    """Edited fields by their verbose_name (the attribute name only if the model lacks it)."""
    lines = []
    for name, new in after.items():
        try:
            label = str(model._meta.get_field(name).verbose_name) if model else name
        except FieldDoesNotExist:
            label = name
        lines.append((label, before.get(name, ""), new))
    return lines


class FileJob(models.Model):
    """An uploaded file worked through in the background (institution import, standards load):
    the page polls `done` of `total` for its progress bar; the row report stays with the job."""

    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField("文件名", max_length=200)
    data = models.BinaryField()
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0
