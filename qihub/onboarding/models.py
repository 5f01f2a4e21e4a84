from django.db import models

from qihub.accounts.models import Document, MemberKind, Organisation, User
from qihub.core.models import Event


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "退回补正"
    APPROVED = "approved", "审核通过"
    REJECTED = "rejected", "不予通过"


class Application(models.Model):
    """A registration (or onboarding) application under review (ACC-6)."""

    applicant = models.ForeignKey(User, on_delete=models.PROTECT, related_name="applications")
    documents = models.ManyToManyField(Document, related_name="applications", blank=True)
    kind = models.CharField("类型", max_length=12, choices=MemberKind.choices)
    status = models.CharField("状态", max_length=12, choices=ApplicationStatus.choices)
    round = models.PositiveSmallIntegerField("提交次数", default=1)
    submitted_at = models.DateTimeField("提交时间")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)

    class Meta:
        verbose_name = "注册申请"
        verbose_name_plural = "注册申请"
        ordering = ["submitted_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}注册申请 #{self.pk}"

    @property
    def subject_name(self) -> str:
        organisation = getattr(self.applicant, "organisation", None)
        if organisation is not None:
            return organisation.name
        identity = getattr(self.applicant, "identity", None)
        return identity.real_name if identity else self.applicant.username


class ApplicationEvent(Event):
    """History of an application: every step, never updated."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    # What a return asked to supplement: the applicant's status page lists these.
    returned_items = models.JSONField(default=list, blank=True)

    class Meta(Event.Meta):
        pass


class ChangeStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已变更"
    RETURNED = "returned", "退回"


class ChangeReport(models.Model):
    """A member reports a change of name, address or legal representative (ACC-7)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="change_reports"
    )
    change_date = models.DateField("变更日期")
    new_name = models.CharField("新名称", max_length=200, blank=True)
    new_address = models.CharField("新住所", max_length=300, blank=True)
    new_legal_representative = models.CharField("新法定代表人", max_length=50, blank=True)
    old_values = models.JSONField("变更前", default=dict, blank=True)
    documents = models.ManyToManyField(Document, related_name="change_reports")
    status = models.CharField("状态", max_length=12, choices=ChangeStatus.choices)
    reported_late = models.BooleanField("超过 1 个月报备", default=False)
    submitted_at = models.DateTimeField("报备时间")
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField("审核意见", max_length=500, blank=True)

    class Meta:
        verbose_name = "变更报备"
        verbose_name_plural = "变更报备"
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.organisation} 变更报备 {self.change_date}"

    def changes(self) -> dict[str, str]:
        return {
            field: value
            for field, value in (
                ("name", self.new_name),
                ("address", self.new_address),
                ("legal_representative", self.new_legal_representative),
            )
            if value
        }


class ChangeReportEvent(Event):
    """History of a change report: reported, approved (old/new values), returned."""

    report = models.ForeignKey(ChangeReport, on_delete=models.CASCADE, related_name="events")

    class Meta(Event.Meta):
        pass


class MobileChallenge(models.Model):
    """A one-time code sent by SMS to confirm a mobile number at registration (ACC-2)."""

    mobile_digest = models.CharField(max_length=64, db_index=True)
    code_digest = models.CharField(max_length=64)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    consumed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"mobile code {self.created_at:%Y-%m-%d %H:%M}"
