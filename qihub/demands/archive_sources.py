"""This app's records in the enterprise quality archive (ARC-1, `qihub.archive.registry`)."""

from qihub.accounts.models import User
from qihub.archive.registry import Record, record, source
from qihub.demands.models import Demand


@source("demands", "服务需求", order=10)
def demands(account: User) -> list[Record]:
    rows = Demand.objects.filter(client=account).prefetch_related("events__by")
    return [
        record(
            "demands",
            d.title,
            d.published_at,
            status=d.get_status_display(),
            number=d.number,
            events=d.events.all(),
            created="发布需求",
        )
        for d in rows
    ]
