"""`qihub workcal due | is-workday | import`: the calendar for operators, tests and monitoring.

Bad input gives one line on stderr and exit code 2.
"""

import datetime as dt
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qihub.workcal import services
from qihub.workcal.calendar import TZ
from qihub.workcal.importer import ImportRejected, import_schedule, parse_schedule


class OneLineErrorParser(CommandParser):
    def error(self, message: str) -> NoReturn:
        if self.called_from_command_line:
            sys.stderr.write(f"qihub workcal: 错误：{message}\n")
            sys.exit(2)
        raise CommandError(f"错误：{message}", returncode=2)


def parse_moment(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            f"--from：无法识别的时间“{text}”，应为 YYYY-MM-DD 或 YYYY-MM-DD HH:MM", returncode=2
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=TZ)


def parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"无法识别的日期“{text}”，应为 YYYY-MM-DD", returncode=2) from None


class Command(BaseCommand):
    help = "工作日历：计算期限、查询工作日、导入年度节假日安排"

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: object) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = OneLineErrorParser
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, parser_class=OneLineErrorParser
        )
        due = actions.add_parser("due", help="计算期限（截止时间）")
        due.add_argument("--from", dest="start", required=True, help="事件发生时间")
        due.add_argument("--working-days", type=int, help="工作日数")
        due.add_argument("--months", type=int, help="月数")
        workday = actions.add_parser("is-workday", help="某日是否为工作日")
        workday.add_argument("day")
        importer = actions.add_parser("import", help="导入某年节假日安排（CSV/XLSX/JSON）")
        importer.add_argument("file")
        importer.add_argument("--year", type=int, required=True)
        importer.add_argument("--official", action="store_true", help="标记为正式（已发布）")
        importer.add_argument("--source", default="", help="依据文件名称")

    def handle(self, *args: object, **options: Any) -> None:
        getattr(self, "_" + str(options["action"]).replace("-", "_"))(options)

    def _due(self, options: dict) -> None:
        start = parse_moment(options["start"])
        days, months = options["working_days"], options["months"]
        if (days is None) == (months is None):
            raise CommandError("请指定 --working-days 或 --months 之一（且只能一个）", returncode=2)
        n = days if days is not None else months
        if n < 0:
            raise CommandError(f"期限长度不能为负数：{n}", returncode=2)
        if days is not None:
            due = services.add_working_days(start, days)
        else:
            due = services.add_months(start, months)
        self.stdout.write(due.isoformat() + (" provisional" if due.provisional else ""))

    def _is_workday(self, options: dict) -> None:
        day = parse_day(options["day"])
        calendar = services.load_calendar()
        answer = "workday" if calendar.is_working_day(day) else "off"
        name = calendar.day_name(day)
        provisional = "" if calendar.is_official(day.year) else " provisional"
        self.stdout.write(f"{answer}{' ' + name if name else ''}{provisional}")

    def _import(self, options: dict) -> None:
        year = options["year"]
        if not 1949 <= year <= 2200:
            raise CommandError(f"--year：年份 {year} 超出范围", returncode=2)
        try:
            rows = parse_schedule(Path(options["file"]), year)
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(error)
            raise CommandError(
                f"导入失败：{len(rejected.errors)} 处错误，未导入任何数据", returncode=2
            ) from None
        calendar_year = import_schedule(
            rows, year, official=options["official"], source_document=options["source"]
        )
        state = "正式" if calendar_year.official else "暂定"
        self.stdout.write(f"已导入 {year} 年 {len(rows)} 条节假日/调休记录（{state}）")
