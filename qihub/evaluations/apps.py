from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "qihub.evaluations"
    verbose_name = "服务评价"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from qihub.evaluations import receivers  # starts each new station's yearly clock

        receivers.connect_closing_receivers()  # return visits after any service closes (EVAL-2)
