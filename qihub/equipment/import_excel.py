"""The platform's ledger template (ENT-1): one row per instrument and schedule; a second row with
the same name and serial number adds another schedule to the same instrument. Every row is checked
first; any error names the row and the column and nothing is saved."""

import datetime as dt
import io
from dataclasses import dataclass, field

from django.db import transaction
from openpyxl import Workbook

from qihub.accounts.models import Organisation, User
from qihub.core.sheets import SheetRejected, limited_rows, open_book
from qihub.equipment import engine
from qihub.equipment.models import INSTRUMENT_SCHEDULE_KINDS, Item, ItemKind, Schedule

HEADERS = [
    "器具名称",
    "型号规格",
    "出厂编号",
    "测量范围",
    "准确度等级",
    "安装使用地点",
    "保管人",
    "是否强检",
    "管理方式",
    "周期（月）",
    "上次完成日期",
    "下次到期日期",
]
EXAMPLE = [
    "压力表",
    "Y-100",
    "YB2024001",
    "0～1.6 MPa",
    "1.6级",
    "锅炉房",
    "张三",
    "是",
    "检定",
    6,
    "2026-01-15",
    "",
]
MAX_ROWS = 5001
KIND_BY_LABEL = {k.label: k.value for k in INSTRUMENT_SCHEDULE_KINDS}
LIMITS = {
    "器具名称": 100,
    "型号规格": 100,
    "出厂编号": 60,
    "测量范围": 100,
    "准确度等级": 60,
    "安装使用地点": 200,
    "保管人": 50,
}


def template() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "计量器具台账"
    sheet.append(HEADERS)
    sheet.append(EXAMPLE)
    for index in range(len(HEADERS)):
        sheet.column_dimensions[chr(ord("A") + index)].width = 16
    notes = book.create_sheet("填写说明")
    for line in [
        "一行一台器具的一项周期计划；同一器具有多项（如检定和内部核查）时，用相同的器具名称和出厂编号另起一行。",
        "带 * 的列必须填写：器具名称、出厂编号、管理方式、周期（月），以及上次完成日期或下次到期日期之一。",
        "是否强检：填“是”或“否”（空白为否）。管理方式：" + "、".join(KIND_BY_LABEL) + "。",
        "周期（月）：1～120 的整数。日期：按“年-月-日”填写，如 2026-07-01。",
        "不填下次到期日期时，按上次完成日期加周期计算。",
        "请删除示例行后再导入。",
    ]:
        notes.append([line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class Outcome:
    errors: list[str] = field(default_factory=list)
    instruments: int = 0
    schedules: int = 0


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        parts = text.split("-")
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            try:
                return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            except ValueError:
                pass
        raise ValueError("日期格式应为“年-月-日”，如 2026-07-01") from None


def import_ledger(source: bytes, owner: User, *, today: dt.date) -> Outcome:
    """Check every row, then save all of them in one transaction, or nothing."""
    outcome = Outcome()
    try:
        book = open_book(source, "文件：不是有效的 Excel 工作簿（.xlsx），请使用平台模板")
        sheet = book.worksheets[0]
        rows = list(limited_rows(sheet, limit=MAX_ROWS, what="文件"))
    except SheetRejected as exc:
        return Outcome(errors=[str(exc)])
    if not rows or [_text(v) for v in rows[0][1][: len(HEADERS)]] != HEADERS:
        return Outcome(errors=["文件：表头与平台模板不一致，请下载模板后填写"])
    existing = set(
        Item.objects.filter(owner=owner, kind=ItemKind.INSTRUMENT).values_list("name", "serial")
    )
    planned: dict[tuple[str, str], dict] = {}
    for number, values in rows[1:]:
        cells = {h: (values[i] if i < len(values) else None) for i, h in enumerate(HEADERS)}
        if all(_text(v) == "" for v in cells.values()):
            continue

        def error(column: str, message: str, number: int = number) -> None:
            outcome.errors.append(f"第 {number} 行“{column}”：{message}")

        before = len(outcome.errors)
        text = {h: _text(cells[h]) for h in LIMITS}
        for column, limit in LIMITS.items():
            if len(text[column]) > limit:
                error(column, f"不能超过 {limit} 个字")
        for column in ("器具名称", "出厂编号"):
            if not text[column]:
                error(column, "必须填写")
        compulsory_text = _text(cells["是否强检"])
        if compulsory_text not in ("", "是", "否"):
            error("是否强检", "请填写“是”或“否”")
        kind = KIND_BY_LABEL.get(_text(cells["管理方式"]))
        if kind is None:
            error("管理方式", "应为" + "、".join(KIND_BY_LABEL) + "之一")
        cycle_text = _text(cells["周期（月）"])
        cycle = int(cycle_text) if cycle_text.isdigit() else 0
        if not 1 <= cycle <= 120:
            error("周期（月）", "应为 1～120 的整数")
        dates = {}
        for column in ("上次完成日期", "下次到期日期"):
            try:
                dates[column] = _date(cells[column])
            except ValueError as exc:
                error(column, str(exc))
                dates[column] = None
        if not any(dates.values()) and len(outcome.errors) == before:
            error("下次到期日期", "请填写上次完成日期或下次到期日期")
        if dates["上次完成日期"] and dates["上次完成日期"] > today:
            error("上次完成日期", "不能晚于今天")
        key = (text["器具名称"], text["出厂编号"])
        if key in existing:
            error("出厂编号", f"“{key[0]} {key[1]}”已在台账中")
        if len(outcome.errors) > before:
            continue
        entry = planned.setdefault(
            key,
            {
                "fields": {
                    "name": key[0],
                    "model": text["型号规格"],
                    "serial": key[1],
                    "measuring_range": text["测量范围"],
                    "accuracy": text["准确度等级"],
                    "location": text["安装使用地点"],
                    "keeper": text["保管人"],
                    "compulsory": compulsory_text == "是",
                },
                "schedules": [],
            },
        )
        if any(s["kind"] == kind for s in entry["schedules"]):
            error("管理方式", f"同一器具已有一行“{_text(cells['管理方式'])}”")
            continue
        entry["schedules"].append(
            {
                "kind": kind,
                "cycle": cycle,
                "last": dates["上次完成日期"],
                "due": dates["下次到期日期"],
            }
        )
    if outcome.errors:
        return outcome
    if not planned:
        return Outcome(errors=["文件：没有可导入的数据行"])
    organisation = Organisation.objects.filter(account=owner).first()
    with transaction.atomic():
        items = Item.objects.bulk_create(
            [
                Item(
                    owner=owner, organisation=organisation, kind=ItemKind.INSTRUMENT, **e["fields"]
                )
                for e in planned.values()
            ]
        )
        schedules = [
            engine.new_schedule(
                item,
                kind=s["kind"],
                cycle_months=s["cycle"],
                last_done=s["last"],
                due_on=s["due"],
            )
            for item, e in zip(items, planned.values(), strict=True)
            for s in e["schedules"]
        ]
        Schedule.objects.bulk_create(schedules)
    outcome.instruments, outcome.schedules = len(items), len(schedules)
    return outcome
