"""Benchmark: the quarterly statistics (EVAL-6) over a year of platform activity.

    python bench/evaluation_figures.py                                   # SQLite, temporary data directory
    python bench/evaluation_figures.py --database-url postgres://…/scratch   # PostgreSQL (tables wiped)

Builds N institutions with orders, evaluations, complaints and clocks, runs ANALYZE, then times
the institution table of the dashboard (`statistics.compute(period, "institution")`, grouped
queries) against a baseline measured in the same run: the same figures computed by the obvious
per-institution loop (every grouped aggregate as one query per institution; the two results are
checked equal). Prints both and their ratio. Target: the grouped table for 2,000 institutions /
100,000 orders in ≤ 2 s and ≥ 10× the loop.

Then loads the public page and its three charts through Django's test client, cold (cache
empty) and warm (median of five), wall and CPU time. Targets (issue 23): `/statistics/` ≤ 100
ms warm and each chart ≤ 50 ms.
"""

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--institutions", type=int, default=2_000)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--database-url", default="", help="a scratch PostgreSQL database")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    os.environ["QIHUB_DATA_DIR"] = tempfile.mkdtemp(prefix="qihub-bench-")
    os.environ.pop("DATABASE_URL", None)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qihub.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from qihub.accounts.models import MemberKind, Organisation, Role, User
    from qihub.complaints.models import Complaint, ComplaintType
    from qihub.evaluations import statistics
    from qihub.evaluations.models import Evaluation
    from qihub.institutions.models import InstitutionService
    from qihub.orders.models import Order
    from qihub.workcal.calendar import TZ

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        for table in (
            "evaluations_evaluation",
            "complaints_complaint_documents",
            "complaints_complaintevent",
            "complaints_complaint",
            "orders_orderevent",
            "orders_order",
            "institutions_institutionservice",
        ):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
    rng = random.Random(7)  # noqa: S311 - synthetic data
    year = 2026
    start = dt.datetime(year, 1, 1, tzinfo=TZ)
    t0 = time.perf_counter()
    client = User.objects.get_or_create(
        username="bench_client", defaults={"role": Role.ENTERPRISE}
    )[0]
    owners = User.objects.bulk_create(
        [User(username=f"bench_lab_{i}", role=Role.INSTITUTION) for i in range(args.institutions)],
        ignore_conflicts=True,
    )
    owners = list(User.objects.filter(username__startswith="bench_lab_"))
    Organisation.objects.filter(account__in=owners).delete()
    labs = Organisation.objects.bulk_create(
        [
            Organisation(
                account=o,
                kind=MemberKind.INSTITUTION,
                name=f"基准机构{i}",
                uscc=f"BENCH{i:013d}",
                address="无锡",
                legal_representative="甲",
                contact_name="乙",
            )
            for i, o in enumerate(owners)
        ],
        batch_size=2000,
    )
    labs = list(Organisation.objects.filter(account__in=owners))
    services = InstitutionService.objects.bulk_create(
        [
            InstitutionService(
                organisation=lab,
                name="检测",
                category="testing",
                period_days=5,
                pricing="free",
                published=True,
            )
            for lab in labs
        ],
        batch_size=2000,
    )
    services = list(InstitutionService.objects.filter(organisation__in=labs))
    orders = []
    for n in range(args.orders):
        service = rng.choice(services)
        placed = start + dt.timedelta(minutes=rng.randrange(365 * 24 * 60))
        due = placed + dt.timedelta(days=7)
        done = placed + dt.timedelta(days=rng.choice((3, 5, 6, 9)))
        orders.append(
            Order(
                number=f"DD-B-{n:07d}",
                client=client,
                institution_id=service.organisation_id,
                service=service,
                description="基准",
                free=True,
                period_days=5,
                due_at=due,
                status="completed",
                placed_at=placed,
                accepted_at=placed,
                completed_at=done,
            )
        )
    Order.objects.bulk_create(orders, batch_size=5000)
    ids = list(Order.objects.filter(number__startswith="DD-B-").values_list("pk", "completed_at"))
    Evaluation.objects.bulk_create(
        [
            Evaluation(
                order_id=pk,
                by=client,
                channel="online",
                process=rng.randint(1, 5),
                timeliness=rng.randint(1, 5),
                attitude=rng.randint(2, 5),
                competence=rng.randint(2, 5),
                overall=rng.randint(1, 5),
                at=at,
            )
            for pk, at in ids[: len(ids) * 6 // 10]
        ],
        batch_size=5000,
    )
    kind = ComplaintType.objects.first()
    Complaint.objects.bulk_create(
        [
            Complaint(
                number=f"TS-B-{n:07d}",
                complainant=client,
                channel="web",
                target="institution",
                against_organisation=rng.choice(labs),
                type=kind,
                content="基准",
                request="基准",
                status="closed",
                submitted_at=start + dt.timedelta(minutes=rng.randrange(365 * 24 * 60)),
                substantiated=rng.random() < 0.4,
            )
            for n in range(args.orders // 100)
        ],
        batch_size=5000,
    )
    print(
        f"data: {len(labs)} institutions, {len(orders)} orders, {len(ids) * 6 // 10} evaluations, "
        f"{args.orders // 100} complaints — built in {time.perf_counter() - t0:.1f} s"
    )

    with connection.cursor() as cursor:
        # Fresh planner statistics on both engines: without them PostgreSQL's ratio swung 53×…488×.
        cursor.execute("ANALYZE")

    period = statistics.Period(year, 4)
    real_grouped = statistics._grouped

    def looped_grouped(queryset, grouping, kind, **aggregates):  # noqa: ANN001, ANN202
        """The same figures as `_grouped`, one aggregate query per institution (the baseline)."""
        if grouping == "platform":
            return real_grouped(queryset, grouping, kind, **aggregates)
        path = statistics.PATHS[grouping][kind]
        if path is None:
            return {}
        result = {}
        for lab in labs:
            row = queryset.filter(**{path: lab.pk}).aggregate(**aggregates)
            if any(row.values()):
                result[lab.pk] = row
        return result

    def grouped() -> list:
        return statistics.compute(period, "institution")

    def per_institution_loop() -> list:
        statistics._grouped = looped_grouped
        try:
            return statistics.compute(period, "institution")
        finally:
            statistics._grouped = real_grouped

    def key(figures: list) -> list:
        return [(f.key, f.orders, f.completed, f.evaluations, f.complaints) for f in figures]

    grouped()  # warm caches on both sides
    timings = {}
    results = {}
    for name, fn in (("grouped", grouped), ("loop", per_institution_loop), ("grouped2", grouped)):
        t = time.perf_counter()
        results[name] = fn()
        timings[name] = time.perf_counter() - t
        print(f"{name:9s} {timings[name] * 1000:9.1f} ms  ({len(results[name])} rows)")
    assert key(results["grouped"]) == key(results["loop"]), "the baseline must compute the same"
    best = min(timings["grouped"], timings["grouped2"])
    print(
        f"grouped institution table: {best * 1000:.0f} ms; per-institution loop "
        f"{timings['loop'] * 1000:.0f} ms (same figures) → {timings['loop'] / best:.1f}× faster"
    )
    pages(period)


def pages(period) -> None:  # noqa: ANN001
    """The public page and its charts as a visitor loads them: cold (cache empty), then warm."""
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    visitor = Client()
    query = f"year={period.year}&quarter={period.quarter}"
    urls = {
        "/statistics/": f"/statistics/?{query}",
        **{
            f"chart {name}": f"/statistics/chart/{name}.svg?{query}"
            for name in ("on-time", "indicators", "quarters")
        },
    }

    def load(url: str) -> tuple[float, float, int]:
        wall, cpu = time.perf_counter(), time.process_time()
        response = visitor.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return time.perf_counter() - wall, time.process_time() - cpu, len(response.content)

    visitor.get(
        "/"
    )  # the process's first request loads URLs, templates and jieba: not "cold figures"
    cache.clear()
    print(f"{'page':22s} {'cold ms':>8s} {'warm ms':>8s} {'warm CPU ms':>12s} {'KB':>6s}")
    for label, url in urls.items():
        cold = load(url)
        warm = sorted(load(url) for _ in range(5))[2]  # median of five
        print(
            f"{label:22s} {cold[0] * 1000:8.1f} {warm[0] * 1000:8.1f} {warm[1] * 1000:12.1f}"
            f" {warm[2] / 1024:6.0f}"
        )
    print("targets: /statistics/ ≤ 100 ms warm, each chart ≤ 50 ms")
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(load, urls["/statistics/"])
        pstats.Stats(profiler).sort_stats(os.environ["BENCH_PROFILE"]).print_stats(25)


if __name__ == "__main__":
    main()
