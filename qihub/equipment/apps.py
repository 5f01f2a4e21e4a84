from django.apps import AppConfig


class EquipmentConfig(AppConfig):
    name = "qihub.equipment"
    verbose_name = "计量器具与特种设备"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from qihub.equipment import receivers  # noqa: F401 - an issued report closes schedules
