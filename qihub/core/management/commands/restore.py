"""`qihub restore BACKUP_DIR [--into DATA_DIR] [--force]`: verify a backup, then restore it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from qihub.core import backup
from qihub.core.management.commands.backup import fail


class Command(BaseCommand):
    help = "从备份恢复：先校验全部文件，再恢复数据库、上传文件与密钥"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup_dir", help="备份目录（qihub backup 生成）")
        parser.add_argument(
            "--into", dest="into", default="", help="恢复到的数据目录（默认：当前数据目录）"
        )
        parser.add_argument(
            "--force", action="store_true", help="目标已有数据时仍然覆盖（不可撤销）"
        )

    def handle(self, *args: object, **options: object) -> str:
        into = Path(str(options["into"])) if options["into"] else None
        try:
            manifest = backup.restore_backup(
                Path(str(options["backup_dir"])), into=into, force=bool(options["force"])
            )
        except (backup.BackupError, OSError) as error:
            fail(self, f"恢复失败：{error}")
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"恢复完成：{len(manifest['tables'])} 张数据表、{rows} 行与备份清单一致，"
            f"{len(manifest['files'])} 个文件校验通过。\n"
            "请重启服务；若程序版本比备份新，先运行 qihub migrate。"
        )
        return ""
