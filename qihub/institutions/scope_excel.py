"""The capability-scope Excel template the platform offers, and reading it back (ACC-5)."""

import io

from django.core.exceptions import ValidationError
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from qihub.catalog.models import Category
from qihub.core.sheets import limited_rows, open_book

CATEGORY_BY_WORD = {**{c.value: c.value for c in Category}, **{c.label: c.value for c in Category}}
HEADERS = ["类别", "对象或产品", "项目或参数", "标准或方法", "限制范围"]
SHEET_TITLE = "服务能力范围"
EXAMPLE = ["计量", "压力表", "示值误差", "JJG 52-2013", "0~60 MPa"]


def template() -> bytes:
    book = Workbook()
    add_scope_sheet(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def add_scope_sheet(sheet: Worksheet) -> None:
    """The scope sheet: header, an example line, widths and the category list."""
    sheet.title = SHEET_TITLE
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


# The template offers 2,000 lines (its category list covers A2:A2000), plus the header.
MAX_ROWS = 2001


def rows_as_text(data: bytes) -> str:
    """The sheet's rows in the row editor's `a|b|c|d|e` form, so both inputs share one parser.
    The scope sheet is the one titled 服务能力范围 (the 入驻申请表 has it among others), else
    the first."""
    book = open_book(data, "能力范围文件无法读取，请使用平台提供的 Excel 模板")
    sheet = book[SHEET_TITLE] if SHEET_TITLE in book.sheetnames else book.worksheets[0]
    lines = []
    for number, row in limited_rows(sheet, limit=MAX_ROWS, what="能力范围文件"):
        cells = ["" if c is None else str(c).strip() for c in row][:5]
        if number == 1 and cells[:1] == [HEADERS[0]]:
            continue
        if any(cells):
            lines.append("|".join(cells))
    return "\n".join(lines)


def parse_scope(text: str) -> list[dict]:
    """`category|object|parameter|standard|limits` lines → scope rows; every bad line named."""
    lines, errors = [], []
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.replace("\t", "|").split("|")]
        parts += [""] * (5 - len(parts))
        category = CATEGORY_BY_WORD.get(parts[0])
        if category is None:
            errors.append(
                f"第 {number} 行：类别“{parts[0]}”无效，应为 {'、'.join(c.label for c in Category)} 之一"
            )
        elif not parts[1]:
            errors.append(f"第 {number} 行：缺少对象或产品")
        elif len(parts) > 5:
            errors.append(f"第 {number} 行：最多 5 列")
        else:
            lines.append(
                dict(
                    zip(
                        ("category", "object", "parameter", "standard", "limits"),
                        [category, *parts[1:5]],
                        strict=True,
                    )
                )
            )
    if errors:
        raise ValidationError(errors)
    if not lines:
        raise ValidationError("请至少填写一项服务能力范围，或上传能力范围 Excel")
    return lines
