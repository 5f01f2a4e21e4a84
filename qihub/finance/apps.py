from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "qihub.finance"
    verbose_name = "金融服务"
