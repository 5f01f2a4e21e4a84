from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    INBOX = "inbox", "站内消息"
    EMAIL = "email", "电子邮件"
    SMS = "sms", "短信"


class Notification(models.Model):
    """An outbox row, written in the same transaction as the change that causes it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    channel = models.CharField("渠道", max_length=8, choices=Channel.choices)
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    urgent = models.BooleanField("紧急", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    send_after = models.DateTimeField("最早发送时间")
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.CharField("最近错误", max_length=300, blank=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    dedupe_key = models.CharField(max_length=120, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["send_after"],
                name="notification_pending",
                condition=models.Q(sent_at__isnull=True) & ~models.Q(channel="inbox"),
            ),
            models.Index(
                fields=["recipient", "read_at"],
                name="notification_unread",
                condition=models.Q(channel="inbox"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "channel", "dedupe_key"],
                name="notification_once",
                condition=~models.Q(dedupe_key=""),
            )
        ]

    def __str__(self) -> str:
        return f"[{self.get_channel_display()}] {self.subject}"


class DeliveredMessage(models.Model):
    """What the built-in backends "send" (SMS outbox, database e-mail backend): one row per
    notification, written in the same transaction that marks the notification sent."""

    # Null for messages that are not notifications to a member (e.g. a registration code).
    notification = models.OneToOneField(
        Notification, null=True, blank=True, on_delete=models.CASCADE
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    address = models.CharField("收件地址", max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "已发送消息"
        verbose_name_plural = "已发送消息"

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.address}: {self.subject or self.text[:20]}"
