from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "qihub.deadlines"
    label = "deadlines"
    verbose_name = "服务时限"

    def ready(self) -> None:
        from qihub.deadlines import receivers  # noqa: F401 - connects the calendar signal
