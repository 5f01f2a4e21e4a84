from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from qihub.orders.models import Report


@receiver(post_save, sender=Report)
def close_schedules_on_report(
    sender: object, instance: Report, created: bool, **kwargs: object
) -> None:
    """An order placed from a ledger demand got its report or certificate: the schedules that
    demand listed are done on the issue date (ENT-1 from due to done)."""
    if not created or instance.order.demand_id is None:
        return
    from qihub.equipment import engine
    from qihub.equipment.models import Schedule

    done_on = timezone.localdate(instance.issued_at)
    for schedule in Schedule.objects.filter(demand_id=instance.order.demand_id).select_for_update():
        engine.close_cycle(
            schedule,
            done_on=done_on,
            by=instance.issued_by,
            number=instance.number,
            issuer=instance.order.institution.name,
            conclusion=instance.conclusion,
            document=instance.issued,
            report=instance,
        )
