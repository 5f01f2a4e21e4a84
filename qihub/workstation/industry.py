"""Industry figures by town (SJ 8.1.1, BIO-8): the import workbook, the export and the chart.
An import checks every row first and saves nothing unless all rows are right."""

import io
from decimal import Decimal, InvalidOperation
from typing import Any

import pygal
from django.db import transaction
from openpyxl import Workbook
from pygal.style import Style

from qihub.core.sheets import SheetRejected, limited_rows, open_book
from qihub.workstation.models import IndustryFigure, Town

HEADERS = ["乡镇（街道）", "年度", "季度", "企业数量", "规上企业数", "产值（万元）", "税收（万元）"]
EXAMPLE = ["示例镇", 2026, 1, 30, 8, "12000.50", "860.00"]
LIMIT = 501
CHART_STYLE = Style(
    font_family="'Noto Sans CJK SC', 'Noto Sans SC', sans-serif",
    background="white",
    plot_background="white",
    colors=("#0d6efd", "#198754", "#fd7e14", "#6f42c1"),
)


def template() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "产业数据"
    sheet.append(HEADERS)
    sheet.append(EXAMPLE)
    for index in range(len(HEADERS)):
        sheet.column_dimensions[chr(ord("A") + index)].width = 16
    notes = book.create_sheet("填写说明")
    notes.append(["一行一个乡镇（街道）一个季度；乡镇（街道）须是平台已登记的名称。"])
    notes.append(["季度填 1–4；同一乡镇同一季度再次导入时，以新数据为准。请删除示例行后再导入。"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _int(value: Any, label: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
        if str(value).strip() != str(number) and float(str(value)) != number:
            raise ValueError
    except (TypeError, ValueError):
        raise ValueError(f"{label}请填写整数") from None
    if not low <= number <= high:
        raise ValueError(f"{label}应在 {low}–{high} 之间")
    return number


def _money(value: Any, label: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip()).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValueError(f"{label}请填写数字") from None
    if amount < 0 or amount >= Decimal("1e12"):
        raise ValueError(f"{label}应在 0 到 1 万亿之间")
    return amount


def read(data: bytes) -> tuple[list[dict], list[str]]:
    """(rows ready to save, errors "第 N 行：…") of an uploaded workbook."""
    book = open_book(data, "Excel 文件：无法读取，请使用平台提供的产业数据模板（.xlsx）")
    sheet = book["产业数据"] if "产业数据" in book.sheetnames else book.worksheets[0]
    towns = {t.name: t for t in Town.objects.all()}
    rows: list[dict] = []
    errors: list[str] = []
    seen: set[tuple] = set()
    for number, values in limited_rows(sheet, limit=LIMIT, what="Excel 文件"):
        cells = list(values[: len(HEADERS)]) + [None] * (len(HEADERS) - len(values))
        if number == 1:
            if [str(c or "").strip() for c in cells] != HEADERS:
                raise SheetRejected("Excel 文件：表头与模板不符，请下载模板后填写")
            continue
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        problems: list[str] = []
        town = towns.get(str(cells[0] or "").strip())
        if town is None:
            problems.append(f"乡镇（街道）“{cells[0] or ''}”未登记")
        parsed: dict[str, Any] = {}
        for key, index, low, high in (
            ("year", 1, 2000, 2100),
            ("quarter", 2, 1, 4),
            ("enterprises", 3, 0, 1_000_000),
            ("above_scale", 4, 0, 1_000_000),
        ):
            try:
                parsed[key] = _int(cells[index], HEADERS[index], low, high)
            except ValueError as exc:
                problems.append(str(exc))
        for key, index in (("output", 5), ("tax", 6)):
            try:
                parsed[key] = _money(cells[index], HEADERS[index])
            except ValueError as exc:
                problems.append(str(exc))
        if parsed.get("above_scale", 0) > parsed.get("enterprises", 10**9):
            problems.append("规上企业数不能大于企业数量")
        key = (cells[0], parsed.get("year"), parsed.get("quarter"))
        if not problems and key in seen:
            problems.append("与前面的行重复（同一乡镇同一季度）")
        seen.add(key)
        if problems:
            errors.append(f"第 {number} 行：" + "；".join(problems))
        else:
            rows.append({"town": town, **parsed})
    if not rows and not errors:
        errors.append("Excel 文件：没有数据行")
    return rows, errors


def save(rows: list[dict], *, by: Any) -> int:
    with transaction.atomic():
        for row in rows:
            town, year, quarter = row.pop("town"), row.pop("year"), row.pop("quarter")
            IndustryFigure.objects.update_or_create(
                town=town, year=year, quarter=quarter, defaults={**row, "reported_by": by}
            )
    return len(rows)


def chart_svg(year: int) -> bytes:
    figures = list(IndustryFigure.objects.filter(year=year).select_related("town"))
    chart = pygal.Bar(
        js=[],
        no_data_text="暂无数据",
        style=CHART_STYLE,
        width=640,
        height=320,
        title=f"{year}年各乡镇（街道）企业数量（按季度）",
        legend_at_bottom=True,
    )
    towns = sorted({f.town.name for f in figures})
    chart.x_labels = towns
    for quarter in (1, 2, 3, 4):
        by_town = {f.town.name: f.enterprises for f in figures if f.quarter == quarter}
        if by_town:
            chart.add(f"第{quarter}季度", [by_town.get(t) for t in towns])
    return chart.render()
