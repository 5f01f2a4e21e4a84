from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    name = "qihub.instruments"
    label = "instruments"
    verbose_name = "仪器共享"

    def ready(self) -> None:
        # Instruments are a kind of the one booking mechanism (ADR 0013): tell bookings what the
        # kind allows, where its page is, and what closing one of its bookings records.
        from qihub.instruments import hooks

        hooks.register()
