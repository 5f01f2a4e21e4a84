"""The institution import workbook for staff (three sheets), turned into the JSON Lines the
importer validates, so the file and the command share one set of rules."""

import datetime as dt
import io
import json

from openpyxl import Workbook

from qihub.catalog.models import Category
from qihub.core.sheets import limited_rows, open_book
from qihub.institutions.models import QualificationType

SHEETS = {
    "机构": ["统一社会信用代码", "名称", "行政区划代码", "地址", "联系电话", "服务分类"],
    "资质": ["统一社会信用代码", "资质类型", "证书编号", "有效期至"],
    "能力范围": ["统一社会信用代码", "证书编号", "类别", "对象或产品", "项目或参数", "标准或方法"],
}
EXAMPLES = {
    "机构": [
        "12320200466000001X",
        "无锡市示例计量测试院",
        "320211",
        "无锡市示例路 1 号",
        "0510-00000000",
        "计量、检验检测",
    ],
    "资质": ["12320200466000001X", "LEGAL_METROLOGY", "（苏）法计（2024）00001号", "2028-12-31"],
    "能力范围": [
        "12320200466000001X",
        "（苏）法计（2024）00001号",
        "计量",
        "压力表",
        "示值误差",
        "JJG 52-2013",
    ],
}
CATEGORY_BY_LABEL = {c.label: c.value for c in Category} | {c.value: c.value for c in Category}


def template() -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, headers in SHEETS.items():
        sheet = book.create_sheet(title)
        sheet.append(headers)
        sheet.append(EXAMPLES[title])
        for index in range(len(headers)):
            sheet.column_dimensions[chr(ord("A") + index)].width = 24
    notes = book.create_sheet("填写说明")
    notes.append(["一行一家机构（“机构”表）；资质与能力范围按统一社会信用代码和证书编号关联。"])
    notes.append(["资质类型：" + "、".join(QualificationType.values)])
    notes.append(["服务分类、类别：" + "、".join(c.label for c in Category) + "（多个以顿号分隔）"])
    notes.append(["有效期至：YYYY-MM-DD；请删除示例行后再导入。"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def workbook_to_lines(data: bytes) -> tuple[list[tuple[str, str]], list[str]]:
    """(label, JSON line) per institution row, and the errors found while linking the sheets."""
    book = open_book(data, "文件无法读取：请使用平台提供的机构导入 Excel 模板（.xlsx）")
    missing = [title for title in SHEETS if title not in book.sheetnames]
    if missing:
        raise ValueError(f"文件缺少工作表：{'、'.join(missing)}（请使用平台提供的模板）")
    rows = {title: _rows(book[title], len(headers), title) for title, headers in SHEETS.items()}
    errors: list[str] = []
    institutions: dict[str, dict] = {}
    labels: dict[str, str] = {}
    for number, cells in rows["机构"]:
        uscc, name, region, address, phone, categories = cells
        label = f"“机构”表第 {number} 行"
        codes = [
            CATEGORY_BY_LABEL.get(c.strip(), c.strip())
            for c in categories.replace(",", "、").replace("，", "、").split("、")
            if c.strip()
        ]
        if uscc.upper() in institutions:
            errors.append(f"{label}：统一社会信用代码 {uscc} 重复")
            continue
        institutions[uscc.upper()] = {
            "uscc": uscc,
            "name": name,
            "region": region,
            "address": address,
            "phone": phone,
            "categories": codes,
            "qualifications": [],
        }
        labels[uscc.upper()] = label
    by_number: dict[tuple[str, str], dict] = {}
    for number, (uscc, kind, certificate, valid_until) in rows["资质"]:
        owner = institutions.get(uscc.upper())
        if owner is None:
            errors.append(f"“资质”表第 {number} 行：统一社会信用代码 {uscc} 不在“机构”表中")
            continue
        qualification = {
            "type": kind,
            "number": certificate,
            "valid_until": valid_until,
            "scope": [],
        }
        owner["qualifications"].append(qualification)
        by_number[(uscc.upper(), certificate)] = qualification
    for number, (uscc, certificate, category, object_, parameter, standard) in rows["能力范围"]:
        qualification = by_number.get((uscc.upper(), certificate))
        if qualification is None:
            errors.append(
                f"“能力范围”表第 {number} 行：找不到该机构的证书 {certificate}（先在“资质”表填写）"
            )
            continue
        qualification["scope"].append(
            {
                "category": CATEGORY_BY_LABEL.get(category, category),
                "object": object_,
                "parameter": parameter,
                "standard": standard,
            }
        )
    lines = [
        (labels[key], json.dumps(row, ensure_ascii=False)) for key, row in institutions.items()
    ]
    if not lines and not errors:
        errors.append("“机构”表没有数据行")
    return lines, errors


# One import is one batch an operator can review on one page of results.
MAX_ROWS = 10001


def _rows(sheet: object, width: int, title: str) -> list[tuple[int, list[str]]]:
    out = []
    for number, row in limited_rows(sheet, limit=MAX_ROWS, what=f"“{title}”表"):
        if number == 1:
            continue  # the header
        cells = [_cell(c) for c in row][:width]
        cells += [""] * (width - len(cells))
        if any(cells):
            out.append((number, cells))
    return out
