from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "qihub.institutions"
    label = "institutions"
    verbose_name = "技术机构"

    def ready(self) -> None:
        from qihub.institutions import profile_cache

        profile_cache.watch()
