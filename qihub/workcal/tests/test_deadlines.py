"""Deadline maths on the official calendar, driven through `qihub workcal`."""

import io
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from qihub.workcal.models import CalendarException, CalendarYear


def workcal(*args):
    out = io.StringIO()
    call_command("workcal", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip().splitlines()[-1]


# (event time, limit, expected due) — one commented row per case.
CASES = [
    # Day before National Day 2026: 1 working day → Oct 8 (Oct 1–7 off).
    ("2026-09-30 16:00", ["--working-days", "1"], "2026-10-08T23:59:59+08:00"),
    # Same event, 3 working days: Oct 8, Oct 9, then the make-up Saturday Oct 10.
    ("2026-09-30 16:00", ["--working-days", "3"], "2026-10-10T23:59:59+08:00"),
    # Event on a holiday (Oct 3): the event day never counts; Oct 8 is the first working day.
    ("2026-10-03 09:00", ["--working-days", "1"], "2026-10-08T23:59:59+08:00"),
    # Event on the make-up Saturday Oct 10: next working day is Monday Oct 12.
    ("2026-10-10 11:00", ["--working-days", "1"], "2026-10-12T23:59:59+08:00"),
    # Spring Festival 2026 (Feb 15–23 off, Feb 14 and 28 make-up): Feb 13 + 3 → Feb 25.
    ("2026-02-13 17:30", ["--working-days", "3"], "2026-02-25T23:59:59+08:00"),
    # Late evening in UTC is already the next day in Shanghai: event day is Fri Nov 20.
    ("2026-11-19T18:00:00+00:00", ["--working-days", "1"], "2026-11-23T23:59:59+08:00"),
    # Crossing into 2027, which has no schedule yet: weekends only, marked provisional.
    ("2026-12-30 10:00", ["--working-days", "3"], "2027-01-04T23:59:59+08:00 provisional"),
    # 1 month from Jan 31 ends on the last day of February.
    ("2026-01-31 10:00", ["--months", "1"], "2026-02-28T23:59:59+08:00"),
    # 1 month from Mar 15: the same date next month.
    ("2026-03-15 10:00", ["--months", "1"], "2026-04-15T23:59:59+08:00"),
    # 15 working days to rectify, starting the Friday before Labour Day (May 1–5 off, May 9 on).
    ("2026-04-24 10:00", ["--working-days", "15"], "2026-05-19T23:59:59+08:00"),
]


@pytest.mark.parametrize(("start", "limit", "expected"), CASES)
def test_due_on_the_official_calendar(db, start, limit, expected):
    assert workcal("due", "--from", start, *limit) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-10-10", "workday 国庆节调休"),  # make-up Saturday
        ("2026-10-01", "off 国庆节"),
        ("2026-11-21", "off"),  # ordinary Saturday
        ("2026-11-23", "workday"),
        ("2027-01-01", "workday provisional"),  # no 2027 schedule: weekends only
    ],
)
def test_is_workday(db, day, expected):
    assert workcal("is-workday", day) == expected


@pytest.mark.parametrize(
    "args",
    [
        ["due", "--from", "30/09/2026", "--working-days", "1"],  # unparseable date
        ["due", "--from", "2026-09-30", "--working-days", "-1"],  # negative N
        ["due", "--from", "2026-09-30"],  # neither limit
        ["due", "--from", "2026-09-30", "--working-days", "1", "--months", "1"],  # both
        ["is-workday", "2026-02-30"],  # no such day
    ],
)
def test_bad_input_gives_one_line_and_exit_code_2(db, args):
    result = subprocess.run(
        [sys.executable, "-m", "qihub", "workcal", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1


SCHEDULE_2027 = [
    ("2027-01-01", "off", "元旦"),
    ("2027-02-05", "off", "春节"),
    ("2027-02-06", "working", "春节调休"),
]


def write_schedule(path, rows, kind):
    if kind == "csv":
        lines = ["date,type,name", *(",".join(r) for r in rows)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif kind == "json":
        path.write_text(
            json.dumps([{"date": d, "type": t, "name": n} for d, t, n in rows], ensure_ascii=False)
        )
    else:
        book = Workbook()
        sheet = book.active
        sheet.append(["日期", "类型", "名称"])
        for d, t, n in rows:
            sheet.append([d, {"off": "休息", "working": "上班"}[t], n])
        book.save(path)


@pytest.mark.parametrize("kind", ["csv", "json", "xlsx"])
def test_import_a_year_and_mark_it_official(db, tmp_path, kind):
    path = tmp_path / f"2027.{kind}"
    write_schedule(path, SCHEDULE_2027, kind)

    assert workcal("due", "--from", "2026-12-31 10:00", "--working-days", "1").endswith(
        "provisional"
    )
    message = workcal("import", str(path), "--year", "2027", "--official")

    assert "已导入 2027 年 3 条" in message
    assert CalendarYear.objects.get(year=2027).official
    assert workcal("is-workday", "2027-01-01") == "off 元旦"
    assert workcal("is-workday", "2027-02-06") == "workday 春节调休"
    # Dec 31 + 1 working day now skips New Year's Day and the weekend, and is official.
    assert workcal("due", "--from", "2026-12-31 10:00", "--working-days", "1") == (
        "2027-01-04T23:59:59+08:00"
    )


def test_a_file_with_any_bad_row_imports_nothing_and_names_every_bad_row(db, tmp_path):
    path = tmp_path / "2027.csv"
    rows = [*SCHEDULE_2027, ("2027-13-01", "off", "x"), ("2026-05-01", "maybe", "y")]
    write_schedule(path, rows, "csv")

    stderr = io.StringIO()
    with pytest.raises(CommandError) as rejected:
        call_command("workcal", "import", str(path), "--year", "2027", stderr=stderr)

    assert rejected.value.returncode == 2
    assert "未导入任何数据" in str(rejected.value)
    report = stderr.getvalue()
    assert "第 5 行" in report and "2027-13-01" in report
    assert "第 6 行" in report and "不属于 2027 年" in report and "maybe" in report
    assert not CalendarException.objects.filter(date__year=2027).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("2027.xlsx", b"not a spreadsheet"), ("2027.json", b"{broken"), ("2027.txt", b"x")],
)
def test_an_unreadable_file_is_refused_with_a_clear_message(db, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    stderr = io.StringIO()

    with pytest.raises(CommandError) as rejected:
        call_command("workcal", "import", str(path), "--year", "2027", stderr=stderr)

    assert rejected.value.returncode == 2
    assert "文件" in stderr.getvalue()
    assert not CalendarYear.objects.filter(year=2027).exists()
