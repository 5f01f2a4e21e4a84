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
