from django.apps import AppConfig


class WorkcalConfig(AppConfig):
    name = "qihub.workcal"
    label = "workcal"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from qihub.workcal import services

        services.watch()
