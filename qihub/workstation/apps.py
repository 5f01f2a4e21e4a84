from django.apps import AppConfig


class WorkstationConfig(AppConfig):
    name = "qihub.workstation"
    verbose_name = "生物医药注册指导服务工作站"
    default_auto_field = "django.db.models.BigAutoField"
