from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "qihub.bookings"
    verbose_name = "预约"
