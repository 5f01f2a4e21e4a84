"""An enterprise's equipment (ENT-1 measuring instruments, ENT-2 special equipment) and the one
schedule engine behind both: each item has one or more schedules (kind, cycle in months, last
done, next due, warning levels); certificates close a schedule's cycle."""

import datetime as dt

from django.db import models

from qihub.accounts.models import Document, Organisation, User


class ItemKind(models.TextChoices):
    INSTRUMENT = "instrument", "计量器具"
    BOILER = "boiler", "锅炉"
    PRESSURE_VESSEL = "pressure_vessel", "压力容器"
    LIFT = "lift", "电梯"
    CRANE = "crane", "起重机械"
    VEHICLE = "vehicle", "场（厂）内专用机动车辆"
    SAFETY_VALVE = "safety_valve", "安全阀"
    PIPELINE = "pipeline", "压力管道"
    RIDE = "ride", "大型游乐设施"


SPECIAL_KINDS = [k for k in ItemKind if k != ItemKind.INSTRUMENT]


class ScheduleKind(models.TextChoices):
    VERIFICATION = "verification", "检定"
    CALIBRATION = "calibration", "校准"
    INTERNAL = "internal", "内部核查"
    INSPECTION = "inspection", "定期检验"


INSTRUMENT_SCHEDULE_KINDS = [
    ScheduleKind.VERIFICATION,
    ScheduleKind.CALIBRATION,
    ScheduleKind.INTERNAL,
]
# Days before the due date. Instruments: 30, 15 and the day itself (the provincial systems tell
# users to apply 15 days ahead); special equipment: the three escalating levels 60 / 30 / 7.
INSTRUMENT_LEVELS = [30, 15, 0]
SPECIAL_LEVELS = [60, 30, 7]


class ItemStatus(models.TextChoices):
    VALID = "valid", "有效"
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已超期"
    OUT_OF_SERVICE = "out_of_service", "停用"


class Item(models.Model):
    """One instrument or one piece of special equipment of an enterprise."""

    owner = models.ForeignKey(User, on_delete=models.PROTECT, related_name="equipment")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="equipment"
    )
    kind = models.CharField("类别", max_length=20, choices=ItemKind.choices)
    name = models.CharField("名称", max_length=100)
    model = models.CharField("型号规格", max_length=100, blank=True)
    serial = models.CharField("出厂编号", max_length=60, blank=True)
    measuring_range = models.CharField("测量范围", max_length=100, blank=True)
    accuracy = models.CharField("准确度等级", max_length=60, blank=True)
    location = models.CharField("安装使用地点", max_length=200, blank=True)
    keeper = models.CharField("保管人", max_length=50, blank=True)
    compulsory = models.BooleanField("强制检定", default=False)
    registration_no = models.CharField("设备注册代码", max_length=60, blank=True)
    use_certificate_no = models.CharField("使用登记证编号", max_length=60, blank=True)
    out_of_service = models.BooleanField("停用", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "设备"
        verbose_name_plural = "设备"
        ordering = ["id"]
        indexes = [models.Index(fields=["owner", "kind"], name="equipment_owner_kind")]

    def __str__(self) -> str:
        return f"{self.name} {self.serial}".strip()

    @property
    def is_special(self) -> bool:
        return self.kind != ItemKind.INSTRUMENT


class Schedule(models.Model):
    """One recurring duty of an item. `next_warn_on` is the day the next unsent warning level
    falls due (null when none is left in this cycle), so the daily sweep reads one index."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="schedules")
    kind = models.CharField("管理方式", max_length=20, choices=ScheduleKind.choices)
    cycle_months = models.PositiveSmallIntegerField("周期（月）")
    last_done = models.DateField("上次完成日期", null=True, blank=True)
    due_on = models.DateField("下次到期日期")
    levels = models.JSONField("提醒（到期前天数）", default=list)
    # The smallest lead time (days) already warned about in this cycle; null: none yet.
    warned_days = models.SmallIntegerField(null=True, blank=True)
    next_warn_on = models.DateField(null=True, blank=True)
    # From this day the schedule counts as 即将到期 (due date less the longest lead time).
    due_soon_from = models.DateField(null=True, blank=True)
    # The demand raised for this cycle from the ledger (due → done).
    demand = models.ForeignKey(
        "demands.Demand",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="equipment_schedules",
    )

    class Meta:
        verbose_name = "周期计划"
        verbose_name_plural = "周期计划"
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["next_warn_on"], name="schedule_next_warn"),
            models.Index(fields=["due_on"], name="schedule_due"),
            models.Index(fields=["due_soon_from"], name="schedule_due_soon"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on:%Y-%m-%d}"

    def sorted_levels(self) -> list[int]:
        return sorted({int(x) for x in self.levels}, reverse=True)

    def plan_warnings(self) -> None:
        """Set `next_warn_on` from the levels not yet warned about in this cycle."""
        pending = [
            d for d in self.sorted_levels() if self.warned_days is None or d < self.warned_days
        ]
        self.next_warn_on = self.due_on - dt.timedelta(days=pending[0]) if pending else None
        self.due_soon_from = self.due_on - dt.timedelta(days=max(self.sorted_levels() or [0]))

    def status(self, today: dt.date) -> str:
        if self.item.out_of_service:
            return ItemStatus.OUT_OF_SERVICE
        if self.due_on < today:
            return ItemStatus.OVERDUE
        if self.due_soon_from is not None and self.due_soon_from <= today:
            return ItemStatus.DUE_SOON
        return ItemStatus.VALID

    def status_label(self, today: dt.date) -> str:
        return ItemStatus(self.status(today)).label


class Certificate(models.Model):
    """A done cycle: the certificate or report with its file, from an upload or an order's
    report issued on the platform."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="certificates")
    done_on = models.DateField("完成日期")
    number = models.CharField("证书/报告编号", max_length=60, blank=True)
    issuer = models.CharField("出具机构", max_length=200, blank=True)
    conclusion = models.CharField("结论", max_length=200, blank=True)
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    report = models.ForeignKey(
        "orders.Report", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    next_due = models.DateField("下次到期日期")
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "证书记录"
        verbose_name_plural = "证书记录"
        ordering = ["-done_on", "-id"]

    def __str__(self) -> str:
        return self.number or f"{self.done_on:%Y-%m-%d}"


class Warning(models.Model):
    """One warning level sent for one cycle of a schedule (what the sweep did, for the page)."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="warnings")
    due_on = models.DateField()
    days = models.SmallIntegerField()
    level = models.PositiveSmallIntegerField()
    sent_on = models.DateField()

    class Meta:
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "due_on", "days"], name="warning_once_per_cycle"
            )
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.sent_on}"


# The points of a special-equipment hazard self-check (TSG 08 使用管理 duties an enterprise can
# check itself); an unmet point becomes a finding.
SELF_CHECK_POINTS = [
    ("registration", "已办理使用登记，使用登记证在有效期内"),
    ("inspection_mark", "定期检验合格，检验合格标志置于显著位置"),
    ("accessories", "安全附件、安全保护装置（安全阀、压力表等）齐全且在校验有效期内"),
    ("operators", "作业人员持证上岗"),
    ("daily_checks", "日常巡检与维护保养记录齐全"),
    ("emergency", "有应急预案并按期演练"),
]


class SelfCheck(models.Model):
    """One hazard self-check of a special-equipment item (ENT-2)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="self_checks")
    checked_on = models.DateField("自查日期")
    note = models.CharField("说明", max_length=500, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.item} {self.checked_on}"


class Finding(models.Model):
    """An unmet point of a self-check: fixed by the enterprise, or handed to the platform as a
    demand for rectification help (the demands app's own publishing step)."""

    self_check = models.ForeignKey(SelfCheck, on_delete=models.CASCADE, related_name="findings")
    point = models.CharField("隐患", max_length=200)
    fixed_on = models.DateField("整改完成日期", null=True, blank=True)
    demand = models.ForeignKey(
        "demands.Demand", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.point
