"""`qihub import institutions FILE.jsonl [--skip-invalid]`."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qihub.institutions.importer import import_lines


class Command(BaseCommand):
    help = "导入技术机构（JSON Lines，每行一个机构，按统一社会信用代码更新或新增）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["institutions"])
        parser.add_argument("file")
        parser.add_argument("--skip-invalid", action="store_true", help="跳过无效行，只导入有效行")

    def handle(self, *args: object, **options: object) -> None:
        path = Path(str(options["file"]))
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}", returncode=2)
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except UnicodeDecodeError:
            raise CommandError("文件不是 UTF-8 编码的文本", returncode=2) from None
        total = [0]

        def validated(count: int) -> None:
            total[0] = count

        def progress(done: int) -> None:
            width = 30
            filled = width * done // max(total[0], 1)
            sys.stderr.write(
                f"\r导入进度 [{'#' * filled}{'.' * (width - filled)}] {done}/{total[0]}"
            )
            if done == total[0]:
                sys.stderr.write("\n")

        report = import_lines(
            lines,
            skip_invalid=bool(options["skip_invalid"]),
            progress=progress,
            validated=validated,
        )
        for error in report.errors:
            self.stderr.write(error)
        if report.errors and not options["skip_invalid"]:
            raise CommandError(
                f"导入失败：{len(report.errors)} 处错误，未导入任何数据（可用 --skip-invalid 只导入有效行）",
                returncode=2,
            )
        self.stdout.write(
            f"共 {report.total} 行：新增 {report.created} 家，更新 {report.updated} 家，"
            f"跳过 {report.total - report.created - report.updated} 行"
        )
