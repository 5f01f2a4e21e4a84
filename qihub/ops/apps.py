from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "qihub.ops"
    label = "ops"
    verbose_name = "运营工作台"
