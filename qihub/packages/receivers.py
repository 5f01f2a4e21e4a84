"""An order's step may end the last open order of a package: the package then completes
(DEM-12). The check runs after the order's event is written, inside the order's transaction."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from qihub.orders.models import OrderEvent


@receiver(post_save, sender=OrderEvent)
def order_moved(sender: type, instance: OrderEvent, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    from qihub.packages import workflow
    from qihub.packages.models import PackageLine, PackageStatus

    line = (
        PackageLine.objects.filter(
            order_id=instance.order_id, package__status=PackageStatus.IN_SERVICE
        )
        .select_related("package")
        .first()
    )
    if line is not None:
        workflow.ended(line.package, at=instance.at)
