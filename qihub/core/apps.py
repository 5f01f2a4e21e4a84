from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qihub.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self) -> None:
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import post_save

        from qihub.core import checks  # noqa: F401 - registers the deploy checks
        from qihub.core.audit import record_admin_change

        post_save.connect(record_admin_change, sender=LogEntry, dispatch_uid="audit-admin")
