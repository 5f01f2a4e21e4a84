from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "qihub.history"
    verbose_name = "版本记录"
