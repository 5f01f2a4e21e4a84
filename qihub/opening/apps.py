from django.apps import AppConfig


class OpeningConfig(AppConfig):
    name = "qihub.opening"
    verbose_name = "资源开放"

    def ready(self) -> None:
        # Labs are a kind of the one booking mechanism (ADR 0013): a lab is rented, not consulted.
        from qihub.bookings import slots
        from qihub.bookings.models import Purpose, ResourceKind

        slots.PURPOSES[ResourceKind.LAB] = (Purpose.RENT,)
