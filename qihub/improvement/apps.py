from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "qihub.improvement"
    verbose_name = "年度改进计划"
    default_auto_field = "django.db.models.BigAutoField"
