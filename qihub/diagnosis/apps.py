from django.apps import AppConfig


class DiagnosisConfig(AppConfig):
    name = "qihub.diagnosis"
    verbose_name = "质量诊断与企业风采"
