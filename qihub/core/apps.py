from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qihub.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from qihub.core import checks  # noqa: F401 - registers the deploy checks
