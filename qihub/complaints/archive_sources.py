"""This app's records in the enterprise quality archive (ARC-1, `qihub.archive.registry`)."""

from qihub.accounts.models import User
from qihub.archive.registry import Record, record, source
from qihub.complaints.models import Complaint


@source("complaints", "投诉", order=50)
def complaints(account: User) -> list[Record]:
    rows = Complaint.objects.filter(complainant=account).select_related("type")
    return [
        record(
            "complaints",
            c.type.name,
            c.submitted_at,
            status=c.get_status_display(),
            number=c.number,
            events=c.events.select_related("by__organisation"),
            created="提交投诉",
        )
        for c in rows
    ]
