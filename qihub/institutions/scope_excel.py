"""The capability-scope Excel template the platform offers, and reading it back (ACC-5)."""

import io

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from qihub.catalog.models import Category
from qihub.core.sheets import limited_rows, open_book

HEADERS = ["类别", "对象或产品", "项目或参数", "标准或方法", "限制范围"]
EXAMPLE = ["计量", "压力表", "示值误差", "JJG 52-2013", "0~60 MPa"]


def template() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "服务能力范围"
    sheet.append(HEADERS)
    sheet.append(EXAMPLE)
    for column, width in zip("ABCDE", (14, 28, 24, 24, 20), strict=True):
        sheet.column_dimensions[column].width = width
    choices = DataValidation(
        type="list", formula1='"' + ",".join(c.label for c in Category) + '"', allow_blank=False
    )
    choices.error, choices.errorTitle = "请从列表中选择类别", "类别无效"
    sheet.add_data_validation(choices)
    choices.add("A2:A2000")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# The template offers 2,000 lines (its category list covers A2:A2000), plus the header.
MAX_ROWS = 2001


def rows_as_text(data: bytes) -> str:
    """The sheet's rows in the textarea's `a|b|c|d|e` form, so both inputs share one parser."""
    book = open_book(data, "能力范围文件无法读取，请使用平台提供的 Excel 模板")
    lines = []
    for number, row in limited_rows(book.worksheets[0], limit=MAX_ROWS, what="能力范围文件"):
        cells = ["" if c is None else str(c).strip() for c in row][:5]
        if number == 1 and cells[:1] == [HEADERS[0]]:
            continue
        if any(cells):
            lines.append("|".join(cells))
    return "\n".join(lines)
