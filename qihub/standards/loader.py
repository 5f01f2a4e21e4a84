"""Loading the national standards portal's export (Excel or CSV) into the standards table.

Every row is checked whole before anything of it is written, and written in its own
transaction: a bad row is reported (row and column named) and leaves nothing behind, the good
rows are loaded. What a load changed (new, status changed, replaced) is listed for the page and
told to the enterprises that watch the standard."""

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from qihub.core.sheets import SheetRejected, limited_rows, open_book
from qihub.institutions.tokens import normalise, standard_key
from qihub.standards.models import Kind, Standard, Status, Watch, kind_of

# The portal's column names and the variants its exports (and people's edits) use.
HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("标准号", "标准编号", "标准代号", "标准号码"),
    "title": ("标准名称", "中文标准名称", "标准中文名称", "中文名称", "名称"),
    "kind": ("标准类别", "标准性质", "类别", "标准类型"),
    "status": ("状态", "标准状态", "现行状态"),
    "issued_on": ("发布日期", "发布时间"),
    "effective_on": ("实施日期", "实施时间"),
    "withdrawn_on": ("废止日期", "作废日期", "废止时间"),
    "replaces": ("代替标准", "代替标准号", "替代标准", "代替"),
    "replaced_by": ("被代替标准", "被代替标准号", "被替代标准", "代替为", "被代替"),
}
LABELS = {name: names[0] for name, names in HEADERS.items()}
STATUS_WORDS = {
    "现行": Status.CURRENT,
    "现行有效": Status.CURRENT,
    "有效": Status.CURRENT,
    "即将实施": Status.UPCOMING,
    "尚未实施": Status.UPCOMING,
    "被代替": Status.SUPERSEDED,
    "被替代": Status.SUPERSEDED,
    "已被代替": Status.SUPERSEDED,
    "废止": Status.WITHDRAWN,
    "作废": Status.WITHDRAWN,
    "已废止": Status.WITHDRAWN,
}
KIND_WORDS = {label: value for value, label in Kind.choices} | {
    "强制性国家标准": Kind.GB,
    "强制性": Kind.GB,
    "推荐性": Kind.GBT,
    "指导性": Kind.GBT,
    "国标": Kind.GB,
    "推荐性国标": Kind.GBT,
    "行标": Kind.INDUSTRY,
    "地标": Kind.LOCAL,
}
MAX_ROWS = 50001
BATCH = 200


def _header_key(text: str) -> str:
    return re.sub(r"\s+", "", normalise(str(text or "")))


def _columns(header: list[str]) -> dict[str, int]:
    """Field → column index, matching the portal's names and their variants."""
    found: dict[str, int] = {}
    cells = [_header_key(h) for h in header]
    for name, names in HEADERS.items():
        for index, cell in enumerate(cells):
            if cell in names and index not in found.values():
                found[name] = index
                break
    return found


def read_rows(data: bytes, filename: str) -> tuple[list[tuple[int, dict[str, object]]], str]:
    """(row number, {field: cell}) per data row, or an error about the whole file."""
    if filename.lower().endswith(".xlsx"):
        try:
            book = open_book(
                data, "文件无法读取：请上传标准信息平台导出的 Excel（.xlsx）或 CSV 文件"
            )
            sheet = book.worksheets[0]
            raw = [list(row) for _, row in limited_rows(sheet, limit=MAX_ROWS, what="标准文件")]
        except SheetRejected as exc:
            return [], str(exc)
    else:
        text = _decode(data)
        if text is None:
            return [], "文件无法读取：CSV 请保存为 UTF-8 或 GBK 编码"
        raw = list(csv.reader(io.StringIO(text)))
        if len(raw) > MAX_ROWS:
            return [], f"标准文件：最多 {MAX_ROWS - 1} 行数据，请分批导入"
    # The header is the first row that names a 标准号 column (exports may start with a title).
    header_at = next(
        (i for i, row in enumerate(raw[:10]) if "number" in _columns(_blank_none(row))), None
    )
    if header_at is None:
        return [], "文件缺少“标准号”列（请使用标准信息平台导出的文件，表头见说明）"
    columns = _columns(_blank_none(raw[header_at]))
    if "title" not in columns:
        return [], "文件缺少“标准名称”列"
    rows = []
    for number, row in enumerate(raw[header_at + 1 :], header_at + 2):
        cells = {name: row[i] if i < len(row) else None for name, i in columns.items()}
        if any(str(v).strip() for v in cells.values() if v is not None):
            rows.append((number, cells))
    if not rows:
        return [], "文件没有数据行"
    return rows, ""


def _blank_none(row: list) -> list[str]:
    return [c if c is not None else "" for c in row]


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _text(value: object) -> str:
    if value is None:
        return ""
    return str(value).strip()


def parse_date(value: object) -> dt.date | None:
    """Excel dates, 2024-01-31, 2024/1/31, 2024.1.31, 2024年1月31日, 20240131; ValueError else."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = normalise(str(value)).strip()
    if not text:
        return None
    match = re.fullmatch(
        r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+[\d:]+)?", text
    )
    if match is None:
        match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if match is None:
        raise ValueError("日期格式应为 2024-01-31")
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise ValueError("不是有效的日期") from None


@dataclass
class Row:
    number: str
    title: str
    kind: str
    status: str
    issued_on: dt.date | None
    effective_on: dt.date | None
    withdrawn_on: dt.date | None
    replaces: str
    replaced_by: str


def check_row(line: int, cells: dict[str, object], today: dt.date) -> tuple[Row | None, list[str]]:
    """The row as values, or the errors naming row and column."""
    errors: list[str] = []

    def fail(name: str, reason: str) -> None:
        errors.append(f"第 {line} 行“{LABELS[name]}”：{reason}")

    number = re.sub(r"\s+", " ", normalise(_text(cells.get("number"))).upper()).strip()
    if not number:
        fail("number", "不能为空")
    elif standard_key(number) is None:
        fail("number", f"“{number}”不是标准号（应如 GB/T 19001-2016）")
    elif len(number) > 80:
        fail("number", "过长")
    title = _text(cells.get("title"))
    if not title:
        fail("title", "不能为空")
    elif len(title) > 300:
        fail("title", "超过 300 字")
    dates = {}
    for name in ("issued_on", "effective_on", "withdrawn_on"):
        try:
            dates[name] = parse_date(cells.get(name))
        except ValueError as exc:
            fail(name, f"“{_text(cells.get(name))}”{exc}")
    kind = kind_of(number) if number else ""
    kind_text = _text(cells.get("kind"))
    if kind_text and not kind:
        kind = KIND_WORDS.get(kind_text, "")
        if not kind:
            fail("kind", f"“{kind_text}”不是可识别的标准类别")
    elif number and not kind:
        kind = Kind.INDUSTRY
    status_text = re.sub(r"\s+", "", _text(cells.get("status")))
    status = STATUS_WORDS.get(status_text, "")
    if status_text and not status:
        fail("status", f"“{status_text}”不是可识别的状态（现行、即将实施、被代替、废止）")
    replaced_by = _text(cells.get("replaced_by"))
    replaces = _text(cells.get("replaces"))
    for name, value in (("replaces", replaces), ("replaced_by", replaced_by)):
        if len(value) > 300:
            fail(name, "过长")
    if errors:
        return None, errors
    if not status:
        # The portal leaves it blank on some rows: the dates and the replacement say it.
        effective = dates.get("effective_on")
        if dates.get("withdrawn_on") and dates["withdrawn_on"] <= today:
            status = Status.SUPERSEDED if replaced_by else Status.WITHDRAWN
        elif effective and effective > today:
            status = Status.UPCOMING
        else:
            status = Status.CURRENT
    return Row(number, title, kind, status, replaces=replaces, replaced_by=replaced_by, **dates), []


@dataclass
class Report:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)


FIELDS = (
    "title",
    "kind",
    "status",
    "issued_on",
    "effective_on",
    "withdrawn_on",
    "replaces",
    "replaced_by",
)


def _change_text(old: str, new: str, replaced_by: str) -> str:
    text = f"状态由“{Status(old).label}”变为“{Status(new).label}”"
    if new == Status.SUPERSEDED and replaced_by:
        text += f"，被 {replaced_by} 代替"
    return text


def load_rows(
    rows: list[tuple[int, dict[str, object]]],
    *,
    demo: bool = False,
    progress: Callable[[int], None] | None = None,
    today: dt.date | None = None,
) -> Report:
    today = today or timezone.localdate()
    report = Report(total=len(rows))
    seen: dict[tuple[str, str], int] = {}
    for done, (line, cells) in enumerate(rows, 1):
        row, errors = check_row(line, cells, today)
        if row is not None:
            key = standard_key(row.number)
            if key in seen:
                errors = [f"第 {line} 行“标准号”：与第 {seen[key]} 行重复"]
            else:
                seen[key] = line
        if errors:
            report.errors.extend(errors)
        else:
            _apply(row, demo, report)
        if progress and (done % BATCH == 0 or done == len(rows)):
            progress(done)
    return report


@transaction.atomic
def _apply(row: Row, demo: bool, report: Report) -> None:
    key, year = standard_key(row.number)
    standard = Standard.objects.select_for_update().filter(key=key, year=year).first()
    values = {name: getattr(row, name) for name in FIELDS}
    if standard is None:
        standard = Standard(number=row.number, demo=demo, **values)
        standard.save()
        report.created += 1
        report.changes.append(
            {
                "number": row.number,
                "title": row.title,
                "change": "新增",
                "detail": Status(row.status).label,
            }
        )
        return
    if (
        all(getattr(standard, name) == value for name, value in values.items())
        and standard.number == row.number
    ):
        report.unchanged += 1
        return
    old_status, old_replaced_by = standard.status, standard.replaced_by
    for name, value in values.items():
        setattr(standard, name, value)
    standard.number = row.number
    standard.save()
    report.updated += 1
    if old_status != row.status:
        detail = _change_text(old_status, row.status, row.replaced_by)
        kind = "被代替" if row.status == Status.SUPERSEDED else "状态变化"
    elif old_replaced_by != row.replaced_by and row.replaced_by:
        detail = f"被 {row.replaced_by} 代替"
        kind = "被代替"
    else:
        return  # other details corrected: counted as updated, not a change anyone watches for
    report.changes.append(
        {"number": row.number, "title": row.title, "change": kind, "detail": detail}
    )
    _tell_watchers(standard, detail)


def _tell_watchers(standard: Standard, detail: str) -> None:
    from qihub.notifications.outbox import notify

    watches = list(Watch.objects.filter(standard=standard).select_related("user"))
    if not watches:
        return
    now = timezone.now()
    Watch.objects.filter(pk__in=[w.pk for w in watches]).update(
        change=detail[:300], changed_at=now, unread=True
    )
    notify(
        [w.user for w in watches],
        f"关注的标准有变化：{standard.number}",
        f"{standard.number}《{standard.title}》{detail}。详见 {reverse('standards:watches')}",
        dedupe_key=f"standard-{standard.pk}-{standard.status}-{standard.replaced_by}"[:100],
    )
