"""Any table on screen can be taken away as Excel: one helper so every export looks the same."""

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(
    filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_plain(value) for value in row])
    for index, header in enumerate(headers):
        sheet.column_dimensions[chr(ord("A") + index)].width = max(12, len(str(header)) * 2 + 4)
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _plain(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.astimezone().replace(tzinfo=None)  # Excel has no time zones
    if value is None or isinstance(value, int | float | Decimal | dt.date):
        return value
    return safe_text(str(value))  # records and labels as people read them


# What Excel (and LibreOffice) would run as a formula or a DDE call when the cell starts with it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Control characters are not allowed in the file format at all (openpyxl refuses them).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def safe_text(text: str) -> str:
    """Text typed by anyone, as a cell that shows it and never runs it (CSV/formula injection):
    control characters go, and a leading formula character is escaped with an apostrophe."""
    text = CONTROL.sub("", text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
