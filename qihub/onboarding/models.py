from django.db import models

from qihub.accounts.models import Document, MemberKind, User


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "退回补正"
    APPROVED = "approved", "审核通过"


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


class ApplicationEvent(models.Model):
    """History of an application: every step, never updated."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12)
    at = models.DateTimeField()
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    returned_items = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
