from django.apps import AppConfig


class StationsConfig(AppConfig):
    name = "qihub.stations"
    label = "stations"
    verbose_name = "服务站点"
