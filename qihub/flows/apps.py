from django.apps import AppConfig


class FlowsConfig(AppConfig):
    name = "qihub.flows"
    verbose_name = "办理流程"
