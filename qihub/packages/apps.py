from django.apps import AppConfig


class PackagesConfig(AppConfig):
    name = "qihub.packages"
    verbose_name = "定制服务"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # An order's steps complete the package once every linked order has ended.
        from qihub.packages import receivers  # noqa: F401
