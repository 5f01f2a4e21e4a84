"""The archive's exports (ARC-1), watermarked with the reader and the time (ARC-3): a PDF with
the watermark on every page, and a zip of the enterprise's files with a catalogue (目录.xlsx)
and a watermark note."""

import datetime as dt
import io
import zipfile

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Font

from qihub.accounts.models import Document, Organisation, User
from qihub.accounts.uploads import read_stored, stored_exists
from qihub.archive.registry import Record, records_of, sources, timeline
from qihub.core.exports import safe_text
from qihub.workcal.calendar import TZ


def watermark(reader: User, at: dt.datetime) -> str:
    return (
        f"查阅人：{reader.shown_name}　查阅时间：{at.astimezone(TZ):%Y-%m-%d %H:%M}"
        "　仅供授权查阅，不得外传"
    )


def pdf(enterprise: Organisation, reader: User, at: dt.datetime) -> bytes:
    from weasyprint import HTML  # imported on use: it loads fonts and is slow to start

    records = records_of(enterprise.account)
    html = render_to_string(
        "archive/pdf.html",
        {
            "enterprise": enterprise,
            "groups": _groups(records),
            "lines": timeline(records),
            "watermark": watermark(reader, at),
            "at": at.astimezone(TZ),
        },
    )
    return HTML(string=html).write_pdf()


def _groups(records: list[Record]) -> list[tuple[str, list[Record]]]:
    return [(s.label, [r for r in records if r.kind == s.key]) for s in sources()]


def documents_of(records: list[Record]) -> list[tuple[Record, Document]]:
    seen: set[int] = set()
    found = []
    for record in records:
        for document in record.documents:
            if document.pk not in seen:
                seen.add(document.pk)
                found.append((record, document))
    return found


def zip_file(enterprise: Organisation, reader: User, at: dt.datetime) -> bytes:
    records = records_of(enterprise.account)
    mark = watermark(reader, at)
    book = Workbook()
    sheet = book.active
    sheet.title = "目录"
    sheet.append([f"{enterprise.name} 质量档案材料目录"])
    sheet.append([mark])
    sheet.append(
        ["序号", "文件", "原文件名", "材料类别", "所属事项", "编号", "上传时间", "大小（字节）"]
    )
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (record, document) in enumerate(documents_of(records), start=1):
            name = f"材料/{index:03d}_{document.get_kind_display()}{_suffix(document)}"
            if stored_exists(document.stored_name):
                archive.writestr(name, read_stored(document.stored_name))
            else:
                name += "（文件缺失）"
            sheet.append(
                [
                    index,
                    safe_text(name),
                    safe_text(document.original_name),
                    document.get_kind_display(),
                    record.kind_label,
                    safe_text(record.number),
                    document.uploaded_at.astimezone(TZ).replace(tzinfo=None),
                    document.size,
                ]
            )
        for column, width in zip("ABCDEFGH", (6, 40, 30, 16, 16, 18, 18, 12), strict=True):
            sheet.column_dimensions[column].width = width
        catalogue = io.BytesIO()
        book.save(catalogue)
        archive.writestr("目录.xlsx", catalogue.getvalue())
        archive.writestr(
            "水印说明.txt",
            f"{enterprise.name} 质量档案材料包\n{mark}\n本材料包内容受保密规定约束。\n",
        )
    return out.getvalue()


def _suffix(document: Document) -> str:
    """The original file's extension (.pdf), so the member opens; the name itself is the
    material's kind, as on the page (uploaded names may be anything)."""
    from pathlib import PurePosixPath

    suffix = PurePosixPath(document.original_name.replace("\\", "/")).suffix.lower()
    return suffix if suffix[1:].isalnum() else ""
