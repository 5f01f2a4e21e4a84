from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "qihub.training"
    verbose_name = "培训与人员"
