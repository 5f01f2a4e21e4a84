"""Import one year's State Council schedule from CSV, XLSX or JSON — all rows or none.

Each row: date (YYYY-MM-DD), working or off, name. Column headers may be English
(date, type, name) or Chinese (日期, 类型, 名称); type accepts working/workday/上班/班 and
off/holiday/休息/休. The year's exceptions are replaced by the file's rows.
"""

import csv
import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from qihub.workcal.models import CalendarException, CalendarYear, Source
from qihub.workcal.signals import calendar_changed

WORKING_WORDS = {"working", "workday", "work", "on", "上班", "班", "工作日", "调休上班"}
OFF_WORDS = {"off", "holiday", "rest", "休息", "休", "放假", "节假日"}
HEADERS = {
    "date": "date",
    "日期": "date",
    "type": "type",
    "working": "type",
    "status": "type",
    "类型": "type",
    "上班/休息": "type",
    "name": "name",
    "名称": "name",
    "节日": "name",
}


class ImportRejected(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Row:
    date: dt.date
    is_working: bool
    name: str


def _records(path: Path) -> list[dict]:
    suffix = path.suffix.lower()
    if suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        if isinstance(data, dict):
            data = data.get("days", data.get("rows"))
        if not isinstance(data, list):
            raise ImportRejected(["JSON 文件应为对象数组，或含 days 数组的对象"])
        return [r if isinstance(r, dict) else {"_invalid": r} for r in data]
    if suffix == ".csv":
        return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    if suffix == ".xlsx":
        from qihub.core.sheets import SheetRejected, limited_rows, open_book

        try:
            book = open_book(path, "文件无法读取：请上传 .xlsx 格式的日历表")
            # A year has 366 days; the header and a margin of notes make 400.
            rows = [row for _, row in limited_rows(book.worksheets[0], limit=400, what="日历表")]
        except SheetRejected as exc:
            raise ImportRejected([str(exc)]) from None
        if not rows:
            return []
        header = [str(h or "").strip() for h in rows[0]]
        return [dict(zip(header, row, strict=False)) for row in rows[1:] if any(row)]
    raise ImportRejected([f"不支持的文件类型“{suffix or '无扩展名'}”：请使用 .csv、.xlsx 或 .json"])


def _parse_row(number: int, record: dict, year: int) -> tuple[Row | None, list[str]]:
    fields = {HEADERS[k.strip()]: v for k, v in record.items() if k and k.strip() in HEADERS}
    where = f"第 {number} 行"
    errors = []
    raw_date, raw_type = fields.get("date"), fields.get("type")
    day = None
    if isinstance(raw_date, dt.datetime):
        day = raw_date.date()
    elif isinstance(raw_date, dt.date):
        day = raw_date
    else:
        try:
            day = dt.date.fromisoformat(str(raw_date or "").strip())
        except ValueError:
            errors.append(f"{where}：日期“{raw_date or ''}”无法识别，应为 YYYY-MM-DD")
    if day is not None and day.year != year:
        errors.append(f"{where}：日期 {day} 不属于 {year} 年")
    is_working: bool | None = None
    if isinstance(raw_type, bool):
        is_working = raw_type
    else:
        word = str(raw_type or "").strip().lower()
        is_working = True if word in WORKING_WORDS else False if word in OFF_WORDS else None
        if is_working is None:
            errors.append(
                f"{where}：类型“{raw_type or ''}”无法识别，应为 working（上班）或 off（休息）"
            )
    name = str(fields.get("name") or "").strip()
    if len(name) > 100:
        errors.append(f"{where}：名称超过 100 个字符")
    if errors or day is None or is_working is None:
        return None, errors
    return Row(day, is_working, name), []


def parse_schedule(path: Path, year: int) -> list[Row]:
    """Read and check every row; raise ImportRejected with one message per bad row."""
    if not path.is_file():
        raise ImportRejected([f"文件不存在：{path}"])
    try:
        records = _records(path)
    except (
        UnicodeDecodeError,
        json.JSONDecodeError,
        csv.Error,
        OSError,
        ValueError,
        KeyError,
        zipfile.BadZipFile,
    ) as exc:
        # openpyxl raises KeyError/BadZipFile for a file that is not really .xlsx.
        raise ImportRejected([f"文件无法读取（格式与扩展名不符或已损坏）：{exc}"]) from exc
    rows: list[Row] = []
    errors: list[str] = []
    seen: dict[dt.date, int] = {}
    for number, record in enumerate(records, start=2 if path.suffix.lower() != ".json" else 1):
        row, row_errors = _parse_row(number, record, year)
        errors += row_errors
        if row is not None:
            if row.date in seen:
                errors.append(f"第 {number} 行：日期 {row.date} 与第 {seen[row.date]} 行重复")
            seen[row.date] = number
            rows.append(row)
    if not records:
        errors.append("文件中没有数据行")
    if errors:
        raise ImportRejected(errors)
    return rows


@transaction.atomic
def import_schedule(
    rows: list[Row], year: int, *, official: bool, source_document: str = "", by: object = None
) -> CalendarYear:
    source = Source.OFFICIAL_NOTICE if official else Source.STAFF
    CalendarException.objects.filter(date__year=year).delete()
    CalendarException.objects.bulk_create(
        CalendarException(date=r.date, is_working=r.is_working, name=r.name, source=source)
        for r in rows
    )
    calendar_year, _ = CalendarYear.objects.update_or_create(
        year=year, defaults={"official": official, "source_document": source_document}
    )
    note = f"导入 {year} 年节假日安排" + ("（正式）" if official else "（暂定）")
    calendar_changed.send(sender=CalendarYear, years={year}, by=by, note=note)
    return calendar_year


@transaction.atomic
def mark_official(year: int, *, source_document: str = "", by: object = None) -> CalendarYear:
    calendar_year, _ = CalendarYear.objects.get_or_create(year=year)
    calendar_year.official = True
    if source_document:
        calendar_year.source_document = source_document
    calendar_year.save()
    calendar_changed.send(sender=CalendarYear, years={year}, by=by, note=f"{year} 年日历确认为正式")
    return calendar_year
