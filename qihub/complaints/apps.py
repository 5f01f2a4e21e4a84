from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "qihub.complaints"
    verbose_name = "投诉处理"
    default_auto_field = "django.db.models.BigAutoField"
