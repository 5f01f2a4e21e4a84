"""This app's records in the enterprise quality archive (ARC-1, `qihub.archive.registry`)."""

from qihub.accounts.models import User
from qihub.agency.models import Entrustment
from qihub.archive.registry import Record, record, source


@source("entrustments", "代办委托", order=110)
def entrustments(account: User) -> list[Record]:
    rows = Entrustment.objects.filter(client=account).select_related("agent")
    return [
        record(
            "entrustments",
            f"委托 {e.agent.shown_name} 代办",
            e.created_at,
            status=e.get_status_display(),
            number=e.number,
            events=e.events.select_related("by__organisation"),
            created="填写委托书",
            documents=e.documents.all(),
        )
        for e in rows
    ]
