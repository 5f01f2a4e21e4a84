"""Confidential access to an enterprise's quality archive (ARC-3): who asked, why, for how long,
who decided, and every read taken under it."""

from django.db import models
from django.utils import timezone

from qihub.accounts.models import Organisation, User
from qihub.core.models import Event


class AccessStatus(models.TextChoices):
    REQUESTED = "requested", "待审批"
    GRANTED = "granted", "已授权"
    REFUSED = "refused", "未批准"


class AccessGrant(models.Model):
    """查阅授权: a staff member may read one enterprise's archive within the period, once the
    operator head has granted it (SJ 9.3, QHD 9)."""

    number = models.CharField("授权编号", max_length=20, unique=True)
    enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="archive_grants", verbose_name="企业"
    )
    requester = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="archive_grants", verbose_name="申请人"
    )
    reason = models.CharField("查阅事由", max_length=300)
    period_from = models.DateField("查阅期限起")
    period_to = models.DateField("查阅期限止")
    status = models.CharField("状态", max_length=10, choices=AccessStatus.choices)
    decided_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="审批人",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=300, blank=True)
    created_at = models.DateTimeField("申请时间", default=timezone.now)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "档案查阅授权"
        verbose_name_plural = "档案查阅授权"
        ordering = ["-created_at", "-pk"]
        # The operator head (运营机构负责人) is an operator holding this permission.
        permissions = [("decide_access", "审批企业质量档案查阅授权")]

    def __str__(self) -> str:
        return self.number

    def valid_on(self, day: object) -> bool:
        return self.status == AccessStatus.GRANTED and self.period_from <= day <= self.period_to


class AccessGrantEvent(Event):
    grant = models.ForeignKey(AccessGrant, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        verbose_name = "查阅授权记录"
        verbose_name_plural = "查阅授权记录"


class ReadKind(models.TextChoices):
    PAGE = "page", "在线查阅"
    PDF = "pdf", "导出档案文件"
    ZIP = "zip", "导出材料包"
    API = "api", "接口查阅"


class ArchiveRead(models.Model):
    """One read of an enterprise's archive by someone other than the enterprise: the enterprise
    sees these in its 访问记录."""

    enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="archive_reads", verbose_name="企业"
    )
    reader = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="archive_reads", verbose_name="查阅人"
    )
    grant = models.ForeignKey(
        AccessGrant,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reads",
        verbose_name="查阅授权",
    )
    kind = models.CharField("方式", max_length=8, choices=ReadKind.choices)
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "档案访问记录"
        verbose_name_plural = "档案访问记录"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.reader} {self.at:%Y-%m-%d %H:%M}"
