from django.db.models.signals import post_save
from django.dispatch import receiver

from qihub.accounts.models import Station


@receiver(post_save, sender=Station)
def start_the_yearly_window_check(
    sender: object, instance: Station, created: bool, **kwargs: object
) -> None:
    """A new station owes its first internal evaluation within a year of opening (EVAL-8)."""
    if created:
        from qihub.evaluations.checks import ensure_station_clock

        ensure_station_clock(instance)


# EVAL-2: a return visit is scheduled when any service closes. The services' workflows write one
# event per step; listening to those events keeps evaluations out of their code (hooks, not
# imports), and the visit is made in the closing step's transaction.
CLOSING = {
    ("orders", "OrderEvent"): ("order", "completed"),
    ("clinic", "ConsultationEvent"): ("consultation", "answered"),
    ("agency", "EntrustmentEvent"): ("entrustment", "done"),
}


def schedule_on_closing(sender: type, instance: object, created: bool, **kwargs: object) -> None:
    subject, closed = CLOSING[(sender._meta.app_label, sender.__name__)]
    if not created or instance.to_status != closed or instance.from_status == closed:
        return
    from qihub.evaluations.workflow import schedule_after_closing

    service = getattr(instance, subject)
    if service.return_visits.exists():
        return  # a consultation answered again after an ask-back cycle: one visit is enough
    schedule_after_closing(service, by=instance.by, at=instance.at)


def connect_closing_receivers() -> None:
    from django.apps import apps

    for (app, model), _ in CLOSING.items():
        post_save.connect(
            schedule_on_closing,
            sender=apps.get_model(app, model),
            dispatch_uid=f"return-visit-{app}-{model}",
        )
