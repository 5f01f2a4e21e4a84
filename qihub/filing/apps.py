from django.apps import AppConfig


class FilingConfig(AppConfig):
    name = "qihub.filing"
    verbose_name = "归档"

    def ready(self) -> None:
        # Closed cases are filed by receivers on the workflows' events, not by each workflow.
        from qihub.filing import receivers

        receivers.connect()
