"""The capability-scope Excel template the platform offers, and reading it back (ACC-5)."""

import io

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation

from qihub.catalog.models import Category

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


def rows_as_text(data: bytes) -> str:
    """The sheet's rows in the textarea's `a|b|c|d|e` form, so both inputs share one parser."""
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises several types for a file that is not a workbook
        raise ValueError("能力范围文件无法读取，请使用平台提供的 Excel 模板") from exc
    lines = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
        cells = ["" if c is None else str(c).strip() for c in (row or ())][:5]
        if number == 1 and cells[:1] == [HEADERS[0]]:
            continue
        if any(cells):
            lines.append("|".join(cells))
    return "\n".join(lines)
