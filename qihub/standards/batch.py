"""The enterprise's list of executed standards, from a paste or a file, and its report as Excel."""

import csv
import io

from django.http import HttpResponse

from qihub.core.exports import xlsx_response
from qihub.core.sheets import SheetRejected, limited_rows, open_book
from qihub.standards.loader import HEADERS, _columns, _decode
from qihub.standards.lookup import Line

MAX_LINES = 2001


def lines_of_upload(upload: object) -> list[str]:
    """One text per row: the 标准号 column when there is one, else the first non-empty cell."""
    data = upload.read()
    if upload.name.lower().endswith(".xlsx"):
        try:
            book = open_book(data, "清单文件：无法读取，请上传 Excel（.xlsx）、CSV 或纯文本文件")
            rows = [
                list(r)
                for _, r in limited_rows(book.worksheets[0], limit=MAX_LINES, what="清单文件")
            ]
        except SheetRejected as exc:
            raise ValueError(str(exc)) from None
    else:
        text = _decode(data)
        if text is None:
            raise ValueError("清单文件：请保存为 UTF-8 或 GBK 编码")
        if upload.name.lower().endswith(".csv"):
            rows = list(csv.reader(io.StringIO(text)))
        else:
            rows = [[line] for line in text.splitlines()]
    if not rows:
        return []
    columns = _columns([c if c is not None else "" for c in rows[0]])
    if "number" in columns:
        index = columns["number"]
        return [str(r[index] or "") if index < len(r) else "" for r in rows[1:]]
    return [next((str(c) for c in r if c not in (None, "")), "") for r in rows]


def report_xlsx(lines: list[Line]) -> HttpResponse:
    return xlsx_response(
        "标准有效性核查报告.xlsx",
        "标准有效性核查",
        ["行号", "所填内容", "核查结果", "标准号", "标准名称", "说明", "重复", "可能是"],
        (
            (
                line.line,
                line.typed,
                line.result_label,
                line.standard.number if line.standard else "",
                line.standard.title if line.standard else "",
                line.detail,
                f"与第 {line.duplicate_of} 行相同" if line.duplicate_of else "",
                "、".join(line.suggestions),
            )
            for line in lines
        ),
    )


__all__ = ["HEADERS", "lines_of_upload", "report_xlsx"]
