"""`qihub backup [--to DIR]`: a full, verifiable backup (database, files, keys, manifest)."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qihub.core import backup


class Command(BaseCommand):
    help = "完整备份：数据库、上传文件与报告、密钥，并写出含校验值的清单"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to",
            dest="to",
            default="",
            help="备份存放目录（默认：数据目录下的 backups）",
        )

    def handle(self, *args: object, **options: object) -> str:
        to = Path(str(options["to"]) or Path(settings.DATA_DIR) / "backups")
        try:
            target = backup.make_backup(to)
        except (backup.BackupError, OSError) as error:
            fail(self, f"备份失败：{error}")
        manifest = backup.verify_backup(target)
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"备份完成：{target}\n"
            f"共 {len(manifest['tables'])} 张数据表、{rows} 行，{len(manifest['files'])} 个文件，"
            "校验通过"
        )
        if not manifest.get("uploads", {}).get("included", True):
            self.stdout.write(
                "上传文件与报告保存在对象存储中，不在本备份内：请由对象存储的版本控制与跨区复制保护"
            )
        return ""


def fail(command: BaseCommand, message: str) -> None:
    """From the command line: the Chinese message and exit code 1, no traceback;
    from call_command (tests, other code): a CommandError carrying the same message."""
    if getattr(command, "_called_from_command_line", False):
        command.stderr.write(message)
        sys.exit(1)
    raise CommandError(message)
