from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "qihub.catalog"
    label = "catalog"
    verbose_name = "服务目录与信息公开"

    def ready(self) -> None:
        from qihub.catalog import home_cache

        home_cache.watch()
