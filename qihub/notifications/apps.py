from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "qihub.notifications"
    label = "notifications"
    verbose_name = "消息通知"
