from django.apps import AppConfig


class DemandsConfig(AppConfig):
    name = "qihub.demands"
    verbose_name = "服务需求"
    default_auto_field = "django.db.models.BigAutoField"
