"""Reading a spreadsheet someone uploaded: streamed, and stopped as soon as it is longer than
the import allows, so a small file of many rows cannot hold a worker (or its memory) for long."""

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import load_workbook


class SheetRejected(ValueError):
    """The file is not a workbook, or has more rows than allowed; the message says which."""


def open_book(source: bytes | Path, unreadable: str) -> Any:
    try:
        return load_workbook(
            io.BytesIO(source) if isinstance(source, bytes) else source,
            read_only=True,
            data_only=True,
        )
    except Exception as exc:  # openpyxl raises several types for a file that is not a workbook
        raise SheetRejected(unreadable) from exc


def limited_rows(sheet: Any, *, limit: int, what: str) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of a read-only sheet; blank rows count, since they cost parsing too."""
    for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
        if number > limit:
            raise SheetRejected(f"{what}：最多 {limit - 1} 行数据，请删除多余的行或分批导入")
        yield number, row or ()
