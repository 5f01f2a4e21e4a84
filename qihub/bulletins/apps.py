from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "qihub.bulletins"
    verbose_name = "政策法规、安全警示与缺陷报告"
