"""The year's improvement plan (EVAL-10, ADR 0008): a drafted summary of the year's evaluations,
complaints, opinions, rectifications and overdue clocks, edited by the supervisor into actions
with owners and due dates, published with each action's progress."""

import datetime as dt

from django.db import models

from qihub.accounts.models import User
from qihub.core.models import Event


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草拟中"
    PUBLISHED = "published", "已发布"


class ImprovementPlan(models.Model):
    year = models.PositiveIntegerField("年度", unique=True)
    # The figures as drafted (`improvement.summarise`): the plan keeps what it was based on,
    # even if late entries change the year's statistics afterwards.
    summary = models.JSONField("年度汇总", default=dict)
    summarised_at = models.DateTimeField("汇总时间")
    analysis = models.TextField("问题分析与改进方向", max_length=5000, blank=True)
    status = models.CharField("状态", max_length=10, choices=PlanStatus.choices)
    version = models.PositiveIntegerField(default=1)
    drafted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "年度改进计划"
        verbose_name_plural = "年度改进计划"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年度改进计划"

    @property
    def title(self) -> str:
        return str(self)

    def progress(self) -> int | None:
        """Mean completion of the actions, in percent."""
        values = [a.percent for a in self.actions.all()]
        return round(sum(values) / len(values)) if values else None


class ActionStatus(models.TextChoices):
    OPEN = "open", "未开始"
    DOING = "doing", "进行中"
    DONE = "done", "已完成"


class PlanAction(models.Model):
    number = models.CharField("措施编号", max_length=20, unique=True)
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="actions")
    problem = models.CharField("针对问题", max_length=300)
    measure = models.TextField("改进措施", max_length=2000)
    owner = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="improvement_actions", verbose_name="责任人"
    )
    due_on = models.DateField("完成期限")
    # Calendar days from adding to the due date: the clock engine's agreed period
    # (`improvement_action`, `length_field`), so the clock falls due on `due_on`.
    days_allowed = models.PositiveIntegerField("期限天数", default=0)
    percent = models.PositiveSmallIntegerField("完成进度（%）", default=0)
    progress = models.TextField("进展情况", max_length=2000, blank=True)
    status = models.CharField("状态", max_length=8, choices=ActionStatus.choices)
    version = models.PositiveIntegerField(default=1)
    added_at = models.DateTimeField("添加时间")
    done_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "改进措施"
        verbose_name_plural = "改进措施"
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.number

    def late(self, today: dt.date) -> bool:
        return self.status != ActionStatus.DONE and self.due_on < today


class PlanEvent(Event):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        pass


class PlanActionEvent(Event):
    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        pass
