"""Search and recommendation quality on the labelled set in `bench/data/search_eval/`.

    python bench/search_quality.py                                # SQLite in a temporary data directory
    python bench/search_quality.py --data-dir /tmp/some-dir        # … or in this one (qihub rows there wiped)
    python bench/search_quality.py --database-url postgres://…/scratch   # PostgreSQL (qihub rows wiped)
    python bench/search_quality.py --json out.json                # also write the figures as JSON

Loads the ~400 institutions of `institutions.jsonl` (qualifications with their validity and
withdrawal, scope lines under them) into a fresh database, indexes them with the platform's own
`reindex_many`, then runs every query of `queries.jsonl` through
`qihub.institutions.search.search` and every demand of `demands.jsonl` through
`qihub.demands.recommend.recommend`, with `today` fixed to the evaluation date 2026-12-01.
The labels were computed by rule from the structured data (see the README beside the data), not
by running the engine.

Figures, overall and per failure class:
- precision@5 = relevant among the first 5 / min(5, |relevant|);
- recall@10 = relevant among the first 10 / min(10, |relevant|) (capped, so a perfect engine
  scores 1 even when 30 institutions fit);
- MRR = 1 / rank of the first relevant result (within 10), 0 when none.
A query whose relevant set is empty expects an empty answer: 1 on all three if the result is
empty, else 0. Typo / pinyin queries score whether one of the expected words is among the first
five suggestions of `qihub.institutions.search.suggest(query)` (MRR: its rank there); without that
function they count as misses.
"""

import argparse
import datetime as dt
import importlib
import inspect
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench" / "data" / "search_eval"
EVAL_DATE = dt.date(2026, 12, 1)
CLASSES = [
    "compound",
    "prose",
    "mgmt_system",
    "verb",
    "validity",
    "synonym",
    "region",
    "standard",
    "typo",
    "near_miss",
]
UNUSABLE = "!"  # Django's marker for an account that cannot log in


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="a scratch PostgreSQL database")
    parser.add_argument(
        "--data-dir", default="", help="QIHUB_DATA_DIR (default: a new temporary one)"
    )
    parser.add_argument("--data", default=str(DATA), help="directory of the labelled set")
    parser.add_argument("--json", default="", help="also write the figures to this file")
    parser.add_argument("--misses", type=int, default=12, help="misses listed per class (0: all)")
    return parser.parse_args()


def setup_django(args: argparse.Namespace) -> None:
    os.environ["QIHUB_DATA_DIR"] = args.data_dir or tempfile.mkdtemp(prefix="qihub-quality-")
    Path(os.environ["QIHUB_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    os.environ.pop("DATABASE_URL", None)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qihub.settings")
    import logging

    import django

    django.setup()
    logging.getLogger("qihub.search").setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def load(institutions: list[dict]) -> dict[int, str]:
    """The set's institutions as listed institutions; returns organisation pk → the set's key.
    Earlier qihub rows of the database are wiped (a scratch database is expected)."""
    from django.db import connection, transaction

    from qihub.accounts.identifiers import uscc_check_character
    from qihub.accounts.models import MemberKind, Organisation, Role, User
    from qihub.institutions.models import Qualification, ScopeLine, SearchTerm

    with connection.cursor() as cursor:
        for model in (SearchTerm, ScopeLine, Qualification):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608 - model tables
    Organisation.objects.filter(account__username__startswith="eval_").delete()
    User.objects.filter(username__startswith="eval_").delete()
    now = dt.datetime.now(dt.UTC)
    withdrawn_at = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(
                    username=f"eval_{i['key']}",
                    role=Role.INSTITUTION,
                    is_active=False,
                    verified_at=now,
                    password=UNUSABLE,
                )
                for i in institutions
            ]
        )
        organisations = []
        for n, (institution, user) in enumerate(zip(institutions, users, strict=True)):
            first17 = f"12{institution['region']}MB{n:07d}"[:17]
            organisations.append(
                Organisation(
                    account=user,
                    kind=MemberKind.INSTITUTION,
                    name=institution["name"],
                    uscc=first17 + uscc_check_character(first17),
                    address=institution["address"],
                    legal_representative="",
                    contact_name="",
                    region=institution["region"],
                    categories=institution["categories"],
                    listed=True,
                )
            )
        organisations = Organisation.objects.bulk_create(organisations)
        pending = []  # (qualification, its lines)
        lines = []
        for institution, organisation in zip(institutions, organisations, strict=True):
            for q in institution["qualifications"]:
                qualification = Qualification(
                    organisation=organisation,
                    type=q["type"],
                    number=q["number"],
                    valid_until=dt.date.fromisoformat(q["valid_until"]),
                    withdrawn_at=withdrawn_at if q["withdrawn"] else None,
                    scope="、".join(dict.fromkeys(line["object"] for line in q["lines"])),
                )
                pending.append((organisation, qualification, q["lines"]))
            for line in institution["lines"]:
                lines.append(scope_line(organisation, None, line))
        Qualification.objects.bulk_create([q for _, q, _ in pending])
        for organisation, qualification, own in pending:
            lines += [scope_line(organisation, qualification, line) for line in own]
        ScopeLine.objects.bulk_create(lines, batch_size=2000)
    return {o.pk: i["key"] for o, i in zip(organisations, institutions, strict=True)}


def scope_line(organisation, qualification, line: dict):
    from qihub.institutions.models import ScopeLine

    return ScopeLine(
        organisation=organisation,
        qualification=qualification,
        verb=line["verb"],
        category=line["category"],
        object=line["object"],
        parameter=line["parameter"],
        standard=line["standard"],
        limits=line["limits"],
    )


def score(relevant: set[str], got: list[str]) -> tuple[float, float, float]:
    """precision@5, recall@10 (capped), reciprocal rank; an empty relevant set wants nothing."""
    if not relevant:
        right = 0.0 if got else 1.0
        return right, right, right
    p5 = len(relevant & set(got[:5])) / min(5, len(relevant))
    r10 = len(relevant & set(got[:10])) / min(10, len(relevant))
    rank = next((n for n, key in enumerate(got[:10], 1) if key in relevant), 0)
    return p5, r10, 1 / rank if rank else 0.0


def score_suggestion(
    expected: list[str], suggestions: list[str] | None
) -> tuple[float, float, float]:
    if not suggestions:
        return 0.0, 0.0, 0.0
    rank = next((n for n, word in enumerate(suggestions[:5], 1) if word in expected), 0)
    hit = 1.0 if rank else 0.0
    return hit, hit, 1 / rank if rank else 0.0


def accepts_today(function) -> bool:  # noqa: ANN001
    return "today" in inspect.signature(function).parameters


def run(
    kind: str, rows: list[dict], keys: dict[int, str], names: dict[str, str], notes: list
) -> list[dict]:
    """Every row through the engine; each result row has the scores and what came back."""
    from qihub.demands import recommend as recommend_module
    from qihub.institutions import search as search_module

    suggest = getattr(search_module, "suggest", None) or getattr(
        importlib.import_module("qihub.institutions.query"), "suggest", None
    )
    if kind == "search":
        engine = search_module.search
    else:
        engine = recommend_module.recommend
    dated = accepts_today(engine)
    if not dated:
        notes.append(f"{engine.__module__}.{engine.__name__} takes no `today`: run as of the clock")
    results = []
    for row in rows:
        started = time.perf_counter()
        suggestions = None
        if row["class"] == "typo":
            suggestions = list(suggest(row["text"])) if suggest else None
            figures = score_suggestion(row.get("suggest", []), suggestions)
            got = []
        else:
            kwargs = {
                "category": row.get("category", ""),
                "region": row.get("region", ""),
                "limit": 10,
            }
            if dated:
                kwargs["today"] = EVAL_DATE
            answer = engine(row["text"], **kwargs)
            got = [keys.get(item.organisation.pk, "?") for item in answer]
            figures = score(set(row["relevant"]), got)
        results.append(
            {
                "id": row["id"],
                "class": row["class"],
                "text": row["text"],
                "region": row.get("region", ""),
                "category": row.get("category", ""),
                "relevant": len(row["relevant"]),
                "expected": row.get("suggest") or [names[k] for k in row["relevant"][:3]],
                "got": [
                    ("✓ " if key in row["relevant"] else "✗ ") + names.get(key, key)
                    for key in got[:5]
                ]
                if suggestions is None
                else suggestions[:5],
                "p5": figures[0],
                "r10": figures[1],
                "rr": figures[2],
                "seconds": time.perf_counter() - started,
            }
        )
    if suggest is None and any(r["class"] == "typo" for r in rows):
        notes.append(
            "qihub.institutions.search.suggest is absent: typo/pinyin queries count as misses"
        )
    return results


def summarise(results: list[dict]) -> dict:
    def figures(rows: list[dict]) -> dict:
        n = len(rows)
        if not n:
            return {"n": 0}
        return {
            "n": n,
            "p5": sum(r["p5"] for r in rows) / n,
            "r10": sum(r["r10"] for r in rows) / n,
            "mrr": sum(r["rr"] for r in rows) / n,
            "perfect": sum(1 for r in rows if r["p5"] == 1),
        }

    classes = {c: figures([r for r in results if r["class"] == c]) for c in CLASSES}
    return {"overall": figures(results), "classes": {c: f for c, f in classes.items() if f["n"]}}


def print_table(title: str, summary: dict) -> None:
    print(f"\n{title}")
    print(f"| {'class':<12} | {'n':>4} | P@5  | R@10 | MRR  | perfect |")
    print(f"|{'-' * 14}|{'-' * 6}|------|------|------|---------|")
    for name, f in [*summary["classes"].items(), ("overall", summary["overall"])]:
        print(
            f"| {name:<12} | {f['n']:>4} | {f['p5']:.2f} | {f['r10']:.2f} | {f['mrr']:.2f} | "
            f"{f['perfect']:>3}/{f['n']:<3} |"
        )


def print_misses(title: str, results: list[dict], limit: int) -> None:
    print(f"\nMisses ({title}): precision@5 below 1, by class")
    for cls in CLASSES:
        missed = [r for r in results if r["class"] == cls and r["p5"] < 1]
        if not missed:
            continue
        print(f"  [{cls}] {len(missed)}")
        for r in missed[: limit or None]:
            filters = " ".join(f"{k}={r[k]}" for k in ("region", "category") if r[k])
            print(
                f"    {r['id']} «{r['text']}» {filters} p@5 {r['p5']:.2f} ({r['relevant']} relevant)"
            )
            print(f"        expected: {'、'.join(r['expected']) or '(nothing)'}")
            print(f"        got:      {' | '.join(r['got']) or '(nothing)'}")


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    args = parse_args()
    setup_django(args)
    from django.db import connection

    from qihub.institutions.index import reindex_many

    data = Path(args.data)
    institutions = read_jsonl(data / "institutions.jsonl")
    queries = read_jsonl(data / "queries.jsonl")
    demands = read_jsonl(data / "demands.jsonl")
    names = {i["key"]: i["name"] for i in institutions}
    notes: list[str] = []
    started = time.perf_counter()
    keys = load(institutions)
    if not accepts_today(reindex_many):
        notes.append(
            "qihub.institutions.index.reindex_many takes no `today`: postings are built as of "
            f"the clock ({dt.date.today().isoformat()}), not {EVAL_DATE.isoformat()}"
        )
    postings = reindex_many(list(keys))
    lines = sum(len(q["lines"]) for i in institutions for q in i["qualifications"])
    lines += sum(len(i["lines"]) for i in institutions)
    print(
        f"engine: {connection.vendor}; data directory: {os.environ['QIHUB_DATA_DIR']}; commit {commit()}\n"
        f"loaded {len(institutions)} institutions, "
        f"{lines} scope lines, {postings:,} postings in {time.perf_counter() - started:.1f} s; "
        f"evaluation date {EVAL_DATE.isoformat()}"
    )
    search_results = run("search", queries, keys, names, notes)
    demand_results = run("recommend", demands, keys, names, notes)
    search_summary = summarise(search_results)
    demand_summary = summarise(demand_results)
    print_table(f"Search: {len(queries)} queries (search(), limit 10)", search_summary)
    print_table(f"Recommendation: {len(demands)} demands (recommend(), limit 10)", demand_summary)
    for note in dict.fromkeys(notes):
        print(f"note: {note}")
    print_misses("search", search_results, args.misses)
    print_misses("recommendation", demand_results, args.misses)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "commit": commit(),
                    "engine": connection.vendor,
                    "evaluation_date": EVAL_DATE.isoformat(),
                    "search": search_summary,
                    "recommendation": demand_summary,
                    "notes": list(dict.fromkeys(notes)),
                    "search_results": search_results,
                    "recommendation_results": demand_results,
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
        print(f"\nwritten: {args.json}")


if __name__ == "__main__":
    main()
