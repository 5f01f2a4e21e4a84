"""Publishing service guides (CAT-5): a change is a new version; old versions stay."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from qihub.catalog.models import GuideVersion, ServiceItem

GUIDE_FIELDS = (
    "acceptance_conditions",
    "materials",
    "process",
    "time_limit",
    "is_free",
    "fee",
    "legal_basis",
    "change_note",
)


@transaction.atomic
def publish_version(item: ServiceItem, data: dict, *, by: object) -> GuideVersion:
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    latest = item.guides.aggregate(latest=Max("version"))["latest"] or 0
    return GuideVersion.objects.create(
        item=item,
        version=latest + 1,
        published_at=timezone.now(),
        published_by=by,
        **{field: data[field] for field in GUIDE_FIELDS},
    )
