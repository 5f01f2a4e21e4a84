from django.apps import AppConfig


class AgencyConfig(AppConfig):
    name = "qihub.agency"
    verbose_name = "全程代办"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The orders' 代办领取 closes the entrusted item linked to the order.
        from qihub.agency import receivers  # noqa: F401
