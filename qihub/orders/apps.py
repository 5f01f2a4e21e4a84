from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "qihub.orders"
    verbose_name = "服务订单"
    default_auto_field = "django.db.models.BigAutoField"
