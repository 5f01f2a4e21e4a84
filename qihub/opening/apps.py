from django.apps import AppConfig


class OpeningConfig(AppConfig):
    name = "qihub.opening"
    verbose_name = "资源开放"
