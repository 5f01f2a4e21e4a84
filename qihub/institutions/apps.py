from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "qihub.institutions"
    label = "institutions"
    verbose_name = "技术机构"

    def ready(self) -> None:
        from qihub.institutions import page_cache, profile_cache

        page_cache.watch()
        profile_cache.watch()
