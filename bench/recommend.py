"""Benchmark: institution recommendation for demands, latency and precision@5.

    python bench/recommend.py                                  # SQLite, loads 60k institutions
    python bench/recommend.py --reuse /tmp/qihub-bench-XXXX    # a data directory from bench/search.py
    python bench/recommend.py --database-url postgres://…/scratch [--reuse 1]

The demands are `bench/data/demands.jsonl`: realistic requests written by hand, each with what
truly fits it ("fit": the product, and the parameter and/or standard when the request names
them). An institution fits when it is offered (valid qualification) and one of its scope lines
has that product (and that parameter / standard). precision@5 = fitting institutions among the
first five, over min(5, number that fit). Latency is measured on a second, warm pass, and
compared with a baseline measured in the same run: one plain search of the same product.
Target: p95 ≤ 300 ms on both engines.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--institutions", type=int, default=60_000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--reuse", default="", help="as in bench/search.py: skip loading")
    parser.add_argument("--demands", default=str(ROOT / "bench" / "data" / "demands.jsonl"))
    parser.add_argument("--seed", type=int, default=20261122)
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    import search as search_bench

    search_bench.setup_django(args)
    from django.db import connection

    if not args.reuse:
        from qihub.institutions.index import reindex_many

        print(f"data directory: {os.environ['QIHUB_DATA_DIR']}")
        rng = random.Random(args.seed)  # noqa: S311 - synthetic data, reproducible
        ids = search_bench.load(connection, args.institutions, args.lines, rng)
        reindex_many(ids)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    from qihub.accounts.models import Organisation
    from qihub.demands.recommend import recommend
    from qihub.institutions.search import search

    demands = [
        json.loads(line) for line in Path(args.demands).read_text("utf-8").splitlines() if line
    ]
    print(
        f"engine: {connection.vendor}; institutions: {Organisation.objects.count():,}; "
        f"demands: {len(demands)}"
    )

    def run(demand: dict) -> list:
        return recommend(
            demand["text"], category=demand["category"], region=demand["region"], limit=5
        )

    for demand in demands:  # first pass: caches
        run(demand)
    timings, precisions, empty = [], [], 0
    for demand in demands:
        started = time.perf_counter()
        candidates = run(demand)
        timings.append(time.perf_counter() - started)
        fitting = fits(demand["fit"])
        if not fitting:
            empty += 1
            continue
        top = [c.organisation.pk for c in candidates[:5]]
        precisions.append(sum(1 for pk in top if pk in fitting) / min(5, len(fitting)))
        if precisions[-1] < 1:
            print(
                f"  not perfect ({precisions[-1]:.2f}, {len(fitting)} fitting): {demand['text'][:60]}"
            )
    baseline = []
    for demand in demands:
        started = time.perf_counter()
        search(demand["fit"]["object"], limit=5)
        baseline.append(time.perf_counter() - started)
    p50, p95 = percentile(timings, 50), percentile(timings, 95)
    print(
        f"recommendation: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms"
    )
    print(
        f"baseline (plain search of the product): p50 {percentile(baseline, 50) * 1000:.0f} ms; "
        f"ratio p50 {p50 / percentile(baseline, 50):.1f}x"
    )
    mean = f"{statistics.mean(precisions):.2f}" if precisions else "n/a"
    print(
        f"precision@5: mean {mean} over {len(precisions)} demands "
        f"({sum(1 for p in precisions if p == 1)} perfect, {empty} with nothing fitting in the data)"
    )
    print(f"target: p95 ≤ 300 ms → {'met' if p95 <= 0.3 else 'NOT met'}")


def fits(fit: dict) -> set[int]:
    """Institutions that truly fit, by the rule in the module docstring (not by the engine)."""
    from qihub.institutions.models import ScopeLine
    from qihub.institutions.workflow import listed_institutions

    lines = ScopeLine.objects.filter(object=fit["object"])
    if fit.get("parameter"):
        lines = lines.filter(parameter=fit["parameter"])
    if fit.get("standard"):
        lines = lines.filter(standard=fit["standard"])
    offered = listed_institutions().filter(pk__in=lines.values("organisation"))
    return set(offered.values_list("pk", flat=True))


def percentile(values: list[float], p: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


if __name__ == "__main__":
    main()
