from django.apps import AppConfig


class SamplesConfig(AppConfig):
    name = "qihub.samples"
    verbose_name = "样品收转"
