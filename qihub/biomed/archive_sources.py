"""This app's records in the enterprise quality archive (ARC-1, `qihub.archive.registry`)."""

from qihub.accounts.models import User
from qihub.archive.registry import Record, record, source
from qihub.biomed.models import ProductArchive


@source("products", "产品服务档案", order=90)
def products(account: User) -> list[Record]:
    rows = ProductArchive.objects.filter(enterprise=account)
    return [
        record(
            "products",
            a.name,
            a.created_at,
            status=a.get_stage_display(),
            number=a.number,
            events=a.events.select_related("by__organisation"),
            created="建档",
        )
        for a in rows
    ]
