from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "qihub.clinic"
    verbose_name = "质量门诊与专家库"
