"""The orders' 代办领取 (ReportCollection) closes the entrusted item linked to that order when the
entrustment's agent records it (DEM-11). A collection outside the scope is refused with the
order's step: nothing is written."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from qihub.core.workflow import Refused, WorkflowError
from qihub.orders.models import ReportCollection


@receiver(post_save, sender=ReportCollection)
def collected(sender: type, instance: ReportCollection, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    from qihub.agency import workflow
    from qihub.agency.models import Authority, EntrustedItem, EntrustmentStatus

    items = EntrustedItem.objects.filter(
        order_id=instance.report.order_id,
        closed_at__isnull=True,
        entrustment__status=EntrustmentStatus.ACTIVE,
        entrustment__agent_id=instance.recorded_by_id,
    ).select_related("entrustment", "service")
    for item in items:
        try:
            workflow.take_step(
                item.entrustment,
                by=instance.recorded_by,
                authority=Authority.COLLECT,
                item=item,
                note=f"代办领取报告 {instance.report.number}",
                at=instance.at,
                from_order=True,
            )
        except Refused as exc:
            # The order's own step is refused with the reason (a message, not a 403 page).
            raise WorkflowError(str(exc)) from exc
