from django.apps import AppConfig


class BiomedConfig(AppConfig):
    name = "qihub.biomed"
    verbose_name = "生物医药产品注册指导"
