"""Guided flows (BIO-2): the step lists of LYG Annexes A–F that an enterprise and the service team
follow and tick off.

A template is versioned: operators edit it on /ops/flows/ and each edit is a new version, so a
run keeps the steps it started with. A run copies nothing but points at its version's steps; each
step of a run is a `RunStep`, which carries the step's clock (`flow_step`) while it is current.
"""

from django.db import models
from django.utils import timezone

from qihub.accounts.models import Document, Organisation, User
from qihub.core.models import Event


class Actor(models.TextChoices):
    ENTERPRISE = "enterprise", "企业"
    TEAM = "team", "服务团队"


class FlowTemplate(models.Model):
    """One version of one flow (附录 A–F). Only the newest version of a code is offered."""

    code = models.CharField("流程代号", max_length=1)
    version = models.PositiveSmallIntegerField("版本", default=1)
    title = models.CharField("流程名称", max_length=100)
    source = models.CharField("依据条款", max_length=200)
    summary = models.CharField("说明", max_length=500, blank=True)
    change_note = models.CharField("修订说明", max_length=300, blank=True)
    published_at = models.DateTimeField("发布时间", default=timezone.now)
    published_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "流程模板"
        verbose_name_plural = "流程模板"
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="flow_template_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.title}（第 {self.version} 版）"

    @classmethod
    def current(cls, code: str) -> "FlowTemplate | None":
        return cls.objects.filter(code=code).order_by("-version").first()

    @classmethod
    def currents(cls) -> list["FlowTemplate"]:
        latest: dict[str, FlowTemplate] = {}
        for template in cls.objects.order_by("code", "-version").prefetch_related("steps"):
            latest.setdefault(template.code, template)
        return list(latest.values())


class FlowStep(models.Model):
    template = models.ForeignKey(FlowTemplate, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField("序号")
    title = models.CharField("步骤", max_length=120)
    actor = models.CharField("办理方", max_length=12, choices=Actor.choices)
    documents = models.CharField(
        "需提交的文件", max_length=300, blank=True, help_text="留空表示本步骤不需上传文件"
    )
    limit_days = models.PositiveSmallIntegerField(
        "时限（工作日）", null=True, blank=True, help_text="留空表示本步骤不计时"
    )
    source_note = models.CharField("出处", max_length=200, blank=True)
    link = models.CharField(
        "衔接页面", max_length=200, blank=True, help_text="本平台页面路径或外部系统网址"
    )
    link_label = models.CharField("衔接页面名称", max_length=60, blank=True)

    class Meta:
        verbose_name = "流程步骤"
        verbose_name_plural = "流程步骤"
        ordering = ["template", "position"]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class RunStatus(models.TextChoices):
    RUNNING = "running", "办理中"
    DONE = "done", "已办结"
    CANCELLED = "cancelled", "已撤销"


class FlowRun(models.Model):
    number = models.CharField("办理编号", max_length=20, unique=True)
    template = models.ForeignKey(
        FlowTemplate, on_delete=models.PROTECT, related_name="runs", verbose_name="流程"
    )
    enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="flow_runs", verbose_name="企业"
    )
    item = models.ForeignKey(
        "catalog.ServiceItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="服务事项",
    )
    subject = models.CharField("办理事项说明", max_length=200, blank=True)
    status = models.CharField("状态", max_length=12, choices=RunStatus.choices)
    version = models.PositiveIntegerField(default=1)
    started_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField("发起时间", default=timezone.now)

    class Meta:
        verbose_name = "流程办理"
        verbose_name_plural = "流程办理"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return self.number

    def current_step(self) -> "RunStep | None":
        return self.run_steps.filter(state=StepState.CURRENT).select_related("step").first()


class StepState(models.TextChoices):
    WAITING = "waiting", "未开始"
    CURRENT = "current", "办理中"
    DONE = "done", "已完成"


class RunStep(models.Model):
    """One step of one run; the subject of the step's clock while it is current."""

    run = models.ForeignKey(FlowRun, on_delete=models.CASCADE, related_name="run_steps")
    step = models.ForeignKey(FlowStep, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField("序号")
    state = models.CharField("状态", max_length=10, choices=StepState.choices)
    limit_days = models.PositiveSmallIntegerField("时限（工作日）", null=True, blank=True)
    done_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "办理步骤"
        verbose_name_plural = "办理步骤"
        ordering = ["run", "position"]

    def __str__(self) -> str:
        return f"{self.run.number} 第 {self.position} 步"

    @property
    def document_label(self) -> str:
        """The uploaded file as pages name it: its name without the extension and its type in
        capitals (委托书（PDF）), so no lower-case extension shows on a page."""
        from pathlib import PurePath

        from qihub.accounts.uploads import ALLOWED_TYPES

        if self.document is None:
            return ""
        kind = ALLOWED_TYPES.get(self.document.content_type, "文件")
        return f"{PurePath(self.document.original_name).stem}（{kind}）"


class FlowRunEvent(Event):
    run = models.ForeignKey(FlowRun, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        pass
