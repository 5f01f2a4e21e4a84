"""Remote technical support (OPS-1, issue 22 part 5).

- `SupportRequest`: a user's (or a visitor's) request for help, carrying the page they were on,
  their role at the time and the last error number the platform showed them; answered on the one
  workflow mechanism (ADR 0009): 待答复 → 已答复 → 已关闭, the user may add more information
  (back to 待答复), under the declared clock `support_answer`, with its history in `SupportEvent`.
- `SupportScreenshot`: the optional screenshot, stored like every other upload.
"""

from django.db import models

from qihub.accounts.models import Role, User
from qihub.core.models import Event

VISITOR = ""
# The role the request was sent with; a visitor has none.
ROLE_CHOICES = [(VISITOR, "访客"), *Role.choices]


class SupportStatus(models.TextChoices):
    SUBMITTED = "submitted", "待答复"
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已关闭"


class SupportRequest(models.Model):
    number = models.CharField("工单编号", max_length=30, unique=True)
    submitter = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="support_requests",
        verbose_name="提交人账号",
    )
    role = models.CharField("提交时的身份", max_length=20, choices=ROLE_CHOICES, blank=True)
    page = models.CharField("问题页面", max_length=300, blank=True)
    error_number = models.CharField("错误编号", max_length=64, blank=True)
    description = models.TextField("问题描述")
    contact_name = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=20, blank=True)
    status = models.CharField(
        "状态", max_length=16, choices=SupportStatus.choices, default=SupportStatus.SUBMITTED
    )
    reply = models.TextField("答复", blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "技术支持工单"
        verbose_name_plural = "技术支持工单"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.number


class SupportScreenshot(models.Model):
    request = models.ForeignKey(
        SupportRequest,
        on_delete=models.CASCADE,
        related_name="screenshots",
        verbose_name="技术支持工单",
    )
    stored_name = models.CharField(max_length=64, unique=True)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=50)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = "问题截图"
        verbose_name_plural = "问题截图"

    def __str__(self) -> str:
        return self.original_name


class SupportEvent(Event):
    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="events", verbose_name="技术支持工单"
    )

    class Meta(Event.Meta):
        verbose_name = "技术支持记录"
        verbose_name_plural = "技术支持记录"
