from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "qihub.ops"
    label = "ops"
    verbose_name = "运营工作台"

    def ready(self) -> None:
        from django.core.signals import got_request_exception

        from qihub.ops import errors, metrics

        got_request_exception.connect(errors.record, dispatch_uid="qihub-ops-record-error")
        metrics.register()
