from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    name = "qihub.guidance"
    verbose_name = "标准化与品牌申报指导"
