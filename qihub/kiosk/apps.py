from django.apps import AppConfig


class KioskConfig(AppConfig):
    name = "qihub.kiosk"
    verbose_name = "自助终端"
    default_auto_field = "django.db.models.BigAutoField"
