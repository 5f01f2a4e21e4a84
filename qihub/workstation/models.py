"""The biomedical registration workstation (SJ DB31117/Z 020-2023): industry figures reported by
town (SJ 8.1.1, BIO-8), the directories of clinical-trial hospitals, talent and alliance members
(SJ 7.2.6.2, 7.2.8.4, 7.2.8.5, BIO-8), key-project recommendations (SJ 7.3, BIO-7) and the
versioned service manual (SJ 8.1.2, CAT-5)."""

from django.db import models

from qihub.core.models import Event


class Town(models.Model):
    """A town or sub-district (乡镇/街道): the region codes stop at the county, so the
    workstation keeps its own short list of the towns that report."""

    name = models.CharField("乡镇（街道）", max_length=40, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "乡镇（街道）"
        verbose_name_plural = "乡镇（街道）"

    def __str__(self) -> str:
        return self.name


class IndustryFigure(models.Model):
    """One town's figures for one quarter; a later report of the same quarter replaces it."""

    town = models.ForeignKey(Town, on_delete=models.PROTECT, verbose_name="乡镇（街道）")
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField(
        "季度", choices=[(q, f"第{q}季度") for q in (1, 2, 3, 4)]
    )
    enterprises = models.PositiveIntegerField("企业数量")
    above_scale = models.PositiveIntegerField("规上企业数")
    output = models.DecimalField("产值（万元）", max_digits=14, decimal_places=2)
    tax = models.DecimalField("税收（万元）", max_digits=14, decimal_places=2)
    reported_by = models.ForeignKey(
        "accounts.User",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="填报人",
    )
    reported_at = models.DateTimeField("填报时间", auto_now=True)

    class Meta:
        ordering = ["-year", "-quarter", "town__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["town", "year", "quarter"], name="one_figure_per_quarter"
            )
        ]
        verbose_name = "产业数据"
        verbose_name_plural = "产业数据"

    def __str__(self) -> str:
        return f"{self.town}{self.period_label}"

    @property
    def below_scale(self) -> int:
        return max(self.enterprises - self.above_scale, 0)

    @property
    def period_label(self) -> str:
        return f"{self.year}年第{self.quarter}季度"


class Hospital(models.Model):
    """A medical institution recommended for clinical trials (SJ 7.2.6.2)."""

    name = models.CharField("医院名称", max_length=120, unique=True)
    filing_number = models.CharField("临床试验机构备案号", max_length=60)
    specialties = models.TextField("备案专业", help_text="每行一个专业，如 心血管内科")
    contact = models.CharField("联系方式", max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = "临床试验医院"
        verbose_name_plural = "临床试验医院"

    def __str__(self) -> str:
        return self.name


class Talent(models.Model):
    """A person of the district's talent pool (SJ 7.2.8.4); the contact is for staff only."""

    name = models.CharField("姓名", max_length=40)
    field = models.CharField("专业领域", max_length=120)
    title = models.CharField("职称", max_length=60, blank=True)
    organisation = models.CharField("所在单位", max_length=120, blank=True)
    contact = models.CharField("联系方式", max_length=120, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = "人才"
        verbose_name_plural = "人才"

    def __str__(self) -> str:
        return self.name


class AllianceMember(models.Model):
    """A member of the G60 medical-device alliance (SJ 7.2.8.5): what it makes or offers."""

    organisation = models.CharField("单位名称", max_length=120, unique=True)
    offers = models.TextField("产品与服务", help_text="每行一项，如 一次性使用输液器")
    contact = models.CharField("联系方式", max_length=120)

    class Meta:
        ordering = ["organisation"]
        verbose_name = "联盟成员"
        verbose_name_plural = "联盟成员"

    def __str__(self) -> str:
        return self.organisation


class ManualVersion(models.Model):
    """One edition of the service manual (SJ 8.1.2): editions are never changed, only followed
    by a newer one, so anyone can read what the manual said on a date."""

    number = models.PositiveIntegerField("版本", unique=True)
    updated_on = models.DateField("更新日期")
    items = models.TextField("服务项目", help_text="每行一项")
    contacts = models.TextField("联系方式")
    how_to_apply = models.TextField("申请方式")
    change_note = models.CharField("本次更新说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="编辑人",
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = "服务手册版本"
        verbose_name_plural = "服务手册版本"

    def __str__(self) -> str:
        return f"第 {self.number} 版"

    @property
    def item_list(self) -> list[str]:
        return [line.strip() for line in self.items.splitlines() if line.strip()]


class ProjectKind(models.TextChoices):
    INNOVATION = "innovation", "创新医疗器械特别审查"
    PRIORITY = "priority", "第二类医疗器械优先审批"


# The points each channel's recommendation is checked against (SJ 7.3.1, 7.3.2).
CHECKLISTS: dict[str, list[str]] = {
    ProjectKind.INNOVATION: [
        "申请人依法拥有产品核心技术发明专利权或使用权",
        "产品主要工作原理或作用机理为国内首创",
        "产品性能或安全性较同类产品有根本性改进，具有显著临床应用价值",
        "已完成产品前期研究并具有基本定型产品",
    ],
    ProjectKind.PRIORITY: [
        "属于上海市第二类医疗器械优先审评审批遴选要点范围",
        "产品具有明显临床优势或列入重点发展领域",
        "申请人具备相应研发与质量管理能力",
        "注册申报资料齐备",
    ],
}


class ProjectStatus(models.TextChoices):
    PREPARING = "preparing", "遴选准备"
    SUBMITTED = "submitted", "已推送市药监局"
    PASSED = "passed", "通过"
    FAILED = "failed", "未通过"


class KeyProject(models.Model):
    number = models.CharField("项目编号", max_length=20, unique=True)
    kind = models.CharField("推荐通道", max_length=20, choices=ProjectKind.choices)
    enterprise = models.CharField("企业名称", max_length=120)
    product = models.CharField("产品名称", max_length=120)
    status = models.CharField(
        "状态", max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PREPARING
    )
    met = models.JSONField("已满足的遴选要点", default=list, blank=True)
    submitted_on = models.DateField("推送日期", null=True, blank=True)
    submission_number = models.CharField("推送文号", max_length=60, blank=True)
    decided_on = models.DateField("结果日期", null=True, blank=True)
    result_note = models.CharField("结果说明", max_length=500, blank=True)
    created_by = models.ForeignKey(
        "accounts.User",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="登记人",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "重点项目"
        verbose_name_plural = "重点项目"

    def __str__(self) -> str:
        return self.number

    @property
    def checklist(self) -> list[str]:
        return CHECKLISTS.get(self.kind, [])

    @property
    def unmet(self) -> list[str]:
        return [p for p in self.checklist if p not in self.met]


class CoachingSession(models.Model):
    """A defence coaching session (答辩辅导) for a key project."""

    project = models.ForeignKey(
        KeyProject, on_delete=models.CASCADE, related_name="sessions", verbose_name="重点项目"
    )
    held_on = models.DateField("辅导日期")
    coach = models.CharField("辅导老师", max_length=60)
    notes = models.TextField("辅导要点")

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = "答辩辅导"
        verbose_name_plural = "答辩辅导"

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.coach}"


class KeyProjectEvent(Event):
    project = models.ForeignKey(
        KeyProject, on_delete=models.CASCADE, related_name="events", verbose_name="重点项目"
    )

    class Meta(Event.Meta):
        verbose_name = "重点项目记录"
        verbose_name_plural = "重点项目记录"
