"""`qihub recommend --text "TEXT" [--category C] [--region CODE] [--limit N] [--json]`."""

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qihub.catalog.models import Category
from qihub.demands.recommend import recommend


class Command(BaseCommand):
    help = "按需求描述推荐技术机构（与平台推荐同一引擎）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--text", required=True, help="需求描述")
        parser.add_argument("--category", default="", choices=["", *Category.values])
        parser.add_argument("--region", default="", help="行政区划代码：32、3202、320281")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument("--json", action="store_true", help="输出 JSON 数组")

    def handle(self, *args: object, **options: object) -> None:
        text, region = str(options["text"]).strip(), str(options["region"])
        if not text:
            raise CommandError("--text：需求描述不能为空", returncode=2)
        if len(text) > 2000:
            raise CommandError("--text：需求描述不超过 2000 字", returncode=2)
        if region and not (region.isdigit() and len(region) in (2, 4, 6)):
            raise CommandError("--region：应为 2、4 或 6 位行政区划代码", returncode=2)
        if not 1 <= int(options["limit"]) <= 100:
            raise CommandError("--limit：应在 1–100 之间", returncode=2)
        candidates = recommend(
            text, category=str(options["category"]), region=region, limit=int(options["limit"])
        )
        rows = [
            {
                "uscc": c.organisation.uscc,
                "name": c.organisation.name,
                "score": c.score,
                "region": c.organisation.region,
                "reasons": c.reasons,
            }
            for c in candidates
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(f"{row['score']:>6}  {row['name']}  {row['uscc']}")
            for reason in row["reasons"]:
                self.stdout.write(f"        · {reason}")
        self.stdout.write(
            f"共推荐 {len(rows)} 家机构" if rows else "没有找到能力范围覆盖该需求的机构"
        )
