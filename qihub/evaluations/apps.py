from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "qihub.evaluations"
    verbose_name = "服务评价"
    default_auto_field = "django.db.models.BigAutoField"
