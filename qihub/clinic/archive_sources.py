"""This app's records in the enterprise quality archive (ARC-1, `qihub.archive.registry`)."""

from qihub.accounts.models import User
from qihub.archive.registry import Record, record, source
from qihub.clinic.models import Consultation


@source("consultations", "质量门诊咨询", order=100)
def consultations(account: User) -> list[Record]:
    rows = Consultation.objects.filter(asker=account)
    return [
        record(
            "consultations",
            c.title,
            c.asked_at,
            status=c.get_status_display(),
            number=c.number,
            events=c.events.select_related("by__organisation"),
            created="提问",
        )
        for c in rows
    ]
