"""This app's records in the enterprise quality archive (ARC-1, `qihub.archive.registry`)."""

from qihub.accounts.models import User
from qihub.archive.registry import Entry, Record, record, source
from qihub.equipment.models import Certificate, Item


@source("equipment", "设备台账", order=80)
def equipment(account: User) -> list[Record]:
    rows = []
    for item in Item.objects.filter(owner=account):
        certificates = Certificate.objects.filter(schedule__item=item).select_related("document")
        entry = record(
            "equipment",
            f"{item.get_kind_display()}：{item.name}",
            item.created_at,
            status="停用" if item.out_of_service else "在用",
            number=item.serial,
            created="建立台账",
            documents=[c.document for c in certificates],
        )
        # Each certificate is a step of the ledger item's history (检定、校准、检验).
        entry.entries += [
            Entry(c.recorded_at, "登记证书", f"完成日期 {c.done_on:%Y-%m-%d}") for c in certificates
        ]
        rows.append(entry)
    return rows
