"""`qihub search "QUERY" [--category C] [--region CODE] [--qualification TYPE] [--limit N] [--json]`;
`qihub search --reindex` rebuilds the term index of every institution."""

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from qihub.accounts.models import MemberKind, Organisation
from qihub.catalog.models import Category
from qihub.institutions.index import reindex_many
from qihub.institutions.models import QualificationType
from qihub.institutions.search import qualification_types, search


class Command(BaseCommand):
    help = "检索技术机构（中文词、产品、参数、标准号）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", nargs="?", default="")
        parser.add_argument("--reindex", action="store_true", help="重建全部机构的检索索引")
        parser.add_argument("--category", default="", choices=["", *Category.values])
        parser.add_argument("--region", default="", help="行政区划代码前缀：32、3202、320281")
        parser.add_argument("--qualification", default="", choices=["", *QualificationType.values])
        parser.add_argument("--limit", type=int, default=20)
        parser.add_argument("--json", action="store_true", help="输出 JSON 数组")

    def handle(self, *args: object, **options: object) -> None:
        if options["reindex"]:
            ids = list(
                Organisation.objects.filter(kind=MemberKind.INSTITUTION).values_list(
                    "pk", flat=True
                )
            )
            written = reindex_many(ids)
            self.stdout.write(f"已重建 {len(ids)} 家机构的检索索引，共 {written} 条")
            return
        if not str(options["query"]).strip() and not any(
            options[k] for k in ("category", "region", "qualification")
        ):
            raise CommandError(
                "QUERY：请填写检索词，或给出 --category/--region/--qualification", returncode=2
            )
        region = str(options["region"])
        if region and not (region.isdigit() and len(region) in (2, 4, 6)):
            raise CommandError("--region：应为 2、4 或 6 位行政区划代码", returncode=2)
        if not 1 <= int(options["limit"]) <= 500:
            raise CommandError("--limit：应在 1–500 之间", returncode=2)
        hits = search(
            str(options["query"]),
            category=str(options["category"]),
            region=region,
            qualification=str(options["qualification"]),
            limit=int(options["limit"]),
        )
        today = timezone.localdate()
        rows = [
            {
                "uscc": h.organisation.uscc,
                "name": h.organisation.name,
                "score": h.score,
                "region": h.organisation.region,
                "qualification_types": qualification_types(h.organisation, today),
                "matched_scope": h.highlighted,
            }
            for h in hits
        ]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            self.stdout.write(
                f"{row['score']:>5}  {row['name']}  {row['uscc']}  {'、'.join(row['qualification_types'])}"
            )
        self.stdout.write(f"共 {len(rows)} 家机构")
