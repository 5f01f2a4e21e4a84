"""This app's records in the enterprise quality archive (ARC-1, `qihub.archive.registry`)."""

from qihub.accounts.models import User
from qihub.archive.registry import Record, record, source
from qihub.samples.models import Sample


@source("samples", "样品", order=70)
def samples(account: User) -> list[Record]:
    rows = Sample.objects.filter(client=account).select_related("order")
    return [
        record(
            "samples",
            s.name,
            s.registered_at,
            status=s.get_status_display(),
            number=s.order.number,
            events=s.events.select_related("by__organisation"),
            created="登记样品",
        )
        for s in rows
    ]
