from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "qihub.archive"
    verbose_name = "企业质量档案"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Each source app contributes its records through its own `archive_sources` module, so
        # this app never names them (ARC-1).
        from qihub.archive.registry import discover

        discover()
