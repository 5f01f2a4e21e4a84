from django.apps import AppConfig


class PoolingConfig(AppConfig):
    name = "qihub.pooling"
    verbose_name = "集中打包需求"
    default_auto_field = "django.db.models.BigAutoField"
