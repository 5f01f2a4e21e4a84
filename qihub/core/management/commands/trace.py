"""`qihub trace`: the honest requirement matrix (see qihub/core/traceability.py)."""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from qihub.core import traceability

PROJECT_ROOT = Path(settings.BASE_DIR).parent
STATUS_LABEL = {"passed": "passed", "failed": "FAILED", "not run": "not run", "missing": "missing"}


def requirements_file() -> Path:
    candidates = [
        os.environ.get("QIHUB_REQUIREMENTS", ""),
        PROJECT_ROOT.parent / "shared" / "spec" / "requirements.md",
        PROJECT_ROOT / "docs" / "requirements.md",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise CommandError("找不到需求目录 requirements.md（../shared/spec/ 或 docs/）")


class Command(BaseCommand):
    help = "打印需求追溯矩阵：需求编号、标题、测试、通过/失败/缺失"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--results",
            default=str(PROJECT_ROOT / "test-artifacts"),
            help="JUnit XML 测试结果所在目录（读取其中的 junit-*.xml）",
        )
        parser.add_argument(
            "--strict", action="store_true", help="任一需求没有通过的测试时以非零退出"
        )
        parser.add_argument("--verbose", action="store_true", help="列出每条需求的测试名称")

    def handle(self, *args: object, **options: object) -> None:
        source = requirements_file()
        requirements = traceability.parse_requirements(source.read_text(encoding="utf-8"))
        test_files = sorted(
            [
                *PROJECT_ROOT.glob("qihub/**/tests/test_*.py"),
                *PROJECT_ROOT.glob("tests/**/test_*.py"),
            ]
        )
        marked = traceability.collect_marked_tests(PROJECT_ROOT, test_files)
        reports = sorted(Path(options["results"]).glob("junit-*.xml"))
        results = traceability.read_results(reports)
        rows = traceability.build_matrix(requirements, marked, results)

        self.stdout.write(f"requirements: {source}")
        self.stdout.write(f"results: {', '.join(p.name for p in reports) or '(no test run found)'}")
        self.stdout.write(f"{'ID':<8} {'status':<8} {'tests':>5}  title")
        for row in rows:
            title = row.requirement.title
            title = title if len(title) <= 60 else title[:59] + "…"
            status = STATUS_LABEL[row.status]
            self.stdout.write(f"{row.requirement.id:<8} {status:<8} {len(row.tests):>5}  {title}")
            if options["verbose"]:
                for test in row.tests:
                    self.stdout.write(f"{'':<24}- {test}")
        for stray in traceability.unknown_ids(requirements, marked):
            self.stderr.write(f"warning: tests name {stray}, which is not in the catalogue")
        covered = sum(row.status == "passed" for row in rows)
        self.stdout.write(f"covered: {covered} of {len(rows)}")
        if options["strict"] and covered < len(rows):
            raise CommandError(f"{len(rows) - covered} 条需求没有通过的测试", returncode=1)
