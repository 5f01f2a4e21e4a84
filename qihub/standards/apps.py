from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "qihub.standards"
    verbose_name = "标准信息"
