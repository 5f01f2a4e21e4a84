"""This app's records in the enterprise quality archive (ARC-1, `qihub.archive.registry`)."""

from qihub.accounts.models import Document, User
from qihub.archive.registry import Record, record, source


@source("documents", "材料文件", order=120)
def documents(account: User) -> list[Record]:
    rows = Document.objects.filter(owner=account).order_by("-uploaded_at")
    return [
        record(
            "documents",
            d.get_kind_display(),
            d.uploaded_at,
            status="已被替换" if d.superseded else "有效",
            created="上传材料",
            documents=[d],
        )
        for d in rows
    ]
