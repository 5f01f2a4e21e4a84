"""A station's registry beyond its name and place (STA-1, STA-2), its facility upkeep (STA-4)
and its yearly assessment figures (STA-5). The station itself stays `accounts.Station`."""

import datetime as dt

from django.db import models
from django.utils import timezone

from qihub.accounts.models import Station, User
from qihub.catalog.models import ServiceItem

WEEKDAYS = [
    (0, "星期一"),
    (1, "星期二"),
    (2, "星期三"),
    (3, "星期四"),
    (4, "星期五"),
    (5, "星期六"),
    (6, "星期日"),
]


class Profile(models.Model):
    """What a station offers and the public notice board of WX 4.2.4."""

    station = models.OneToOneField(
        Station, on_delete=models.CASCADE, related_name="profile", verbose_name="站点"
    )
    services = models.ManyToManyField(ServiceItem, blank=True, verbose_name="提供的服务")
    organisation = models.TextField("组织机构", max_length=1000, blank=True)
    duties = models.TextField("工作职责", max_length=1000, blank=True)
    rules = models.TextField("管理制度", max_length=2000, blank=True)
    service_list = models.TextField("服务项目", max_length=2000, blank=True)
    process = models.TextField("办事流程", max_length=2000, blank=True)
    complaint_phone = models.CharField("投诉电话", max_length=30, blank=True)

    class Meta:
        verbose_name = "站点公示信息"
        verbose_name_plural = "站点公示信息"

    def __str__(self) -> str:
        return str(self.station)


class Period(models.Model):
    """One opening period on a weekday; several periods on a day are staggered hours and an
    evening or weekend period is extended hours (STA-2)."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="periods", verbose_name="站点"
    )
    weekday = models.PositiveSmallIntegerField("星期", choices=WEEKDAYS)
    opens = models.TimeField("开始时间")
    closes = models.TimeField("结束时间")
    extended = models.BooleanField("延时错时服务", default=False)

    class Meta:
        verbose_name = "服务时段"
        verbose_name_plural = "服务时段"
        ordering = ["weekday", "opens"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Membership(models.Model):
    """A staff member of a station: full- or part-time, and who heads its operations (QHD 5.5.1)."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="memberships", verbose_name="站点"
    )
    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="membership", verbose_name="工作人员"
    )
    full_time = models.BooleanField("专职", default=True)
    is_head = models.BooleanField("运营负责人", default=False)

    class Meta:
        verbose_name = "站点工作人员"
        verbose_name_plural = "站点工作人员"
        ordering = ["-is_head", "-full_time", "id"]

    def __str__(self) -> str:
        return f"{self.station} {self.user}"


class AreaKind(models.TextChoices):
    RECEPTION = "reception", "接待区"
    CONSULTATION = "consultation", "咨询窗口"
    TERMINAL = "terminal", "自助终端"
    MEETING = "meeting", "会议室"
    DISPLAY = "display", "产品展示区"
    OTHER = "other", "其他"


class Area(models.Model):
    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="areas", verbose_name="站点"
    )
    kind = models.CharField("功能区类型", max_length=16, choices=AreaKind.choices)
    name = models.CharField("名称", max_length=60)
    note = models.CharField("设施说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "功能区与设施"
        verbose_name_plural = "功能区与设施"
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class UpkeepItem(models.Model):
    """A facility inspected or maintained every `cycle_days` (STA-4). `due_on` is kept with the
    item so the to-do count stays one query: it moves on with each logged inspection."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="upkeep", verbose_name="站点"
    )
    name = models.CharField("维护项目", max_length=60)
    cycle_days = models.PositiveIntegerField("周期（天）")
    responsible = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="责任人"
    )
    remind_days = models.PositiveIntegerField("提前提醒（天）", default=7)
    due_on = models.DateField("下次到期日")
    # Kept with the item (from due_on and remind_days) so "due soon" is a plain filter.
    remind_from = models.DateField("提醒开始日", editable=False)

    class Meta:
        verbose_name = "设施维护项目"
        verbose_name_plural = "设施维护项目"
        ordering = ["due_on", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.remind_from = self.due_on - dt.timedelta(days=self.remind_days)
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "remind_from"}
        super().save(*args, **kwargs)

    def overdue(self, today: dt.date | None = None) -> bool:
        return self.due_on < (today or timezone.localdate())

    def due_soon(self, today: dt.date | None = None) -> bool:
        return self.remind_from <= (today or timezone.localdate())


class UpkeepResult(models.TextChoices):
    OK = "ok", "正常"
    FIXED = "fixed", "发现问题已处理"
    PROBLEM = "problem", "发现问题待处理"


class UpkeepLog(models.Model):
    item = models.ForeignKey(
        UpkeepItem, on_delete=models.CASCADE, related_name="logs", verbose_name="维护项目"
    )
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name="检查人")
    done_on = models.DateField("检查日期")
    result = models.CharField("结果", max_length=10, choices=UpkeepResult.choices)
    note = models.CharField("说明", max_length=300, blank=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "设施检查维护记录"
        verbose_name_plural = "设施检查维护记录"
        ordering = ["-done_on", "-id"]

    def __str__(self) -> str:
        return f"{self.item} {self.done_on}"


class Assessment(models.Model):
    """The figures of a station's yearly assessment (SJ 10, QHD 8.2) that no other record holds;
    staffing comes from the memberships and the checklist from `evaluations.WindowCheck`."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="assessments", verbose_name="站点"
    )
    year = models.PositiveIntegerField("年度")
    training_hours = models.PositiveIntegerField("培训学时", default=0)
    campaigns = models.PositiveIntegerField("宣传活动（次）", default=0)
    note = models.CharField("考核意见", max_length=500, blank=True)
    updated_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name="登记人"
    )
    updated_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "站点年度考核"
        verbose_name_plural = "站点年度考核"
        constraints = [
            models.UniqueConstraint(fields=["station", "year"], name="one_assessment_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.year}"
