from django.db.models.signals import post_delete, post_save
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


def _watch_statistics_inputs() -> None:
    """Every record the statistics count invalidates the cached figures when it changes."""
    from qihub.complaints.models import Complaint
    from qihub.deadlines.models import Clock
    from qihub.demands.models import Demand
    from qihub.evaluations.models import Campaign, CampaignResponse, Evaluation, Rectification
    from qihub.evaluations.statistics import inputs_changed
    from qihub.orders.models import Order

    for model in (
        Demand,
        Order,
        Clock,
        Complaint,
        Evaluation,
        Rectification,
        Campaign,
        CampaignResponse,
    ):
        post_save.connect(inputs_changed, sender=model, dispatch_uid=f"stats-save-{model.__name__}")
        post_delete.connect(
            inputs_changed, sender=model, dispatch_uid=f"stats-delete-{model.__name__}"
        )


_watch_statistics_inputs()
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
