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
