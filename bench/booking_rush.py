"""Benchmark: N clients rush one station window's week of slots at once (ORD-3, ADR 0013).

    python bench/booking_rush.py                        # SQLite, in a temporary data directory
    python bench/booking_rush.py --database-url postgres://…/scratch   # PostgreSQL

In-process: each client is a thread with its own database connection calling the booking code
(`bookings.workflow.book`, the same call the page and the API make). Each client wants one slot:
it picks a random slot from the grid it read before the rush and, when refused, re-reads the
grid and tries another free one (up to --tries). Prints the success rate, the p95 latency of one
booking attempt as a ratio against a baseline measured in the same run (the same attempt by one
client alone on a quiet second window), and the number of overlapping active bookings found by
a query after the run — which must be 0.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=150)
    parser.add_argument("--tries", type=int, default=5, help="attempts per client")
    parser.add_argument("--baseline", type=int, default=50, help="uncontended bookings")
    parser.add_argument("--database-url", default="", help="a scratch PostgreSQL database")
    return parser.parse_args()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) > 1 else values[0]


def main() -> None:
    args = parse_args()
    data_dir = tempfile.mkdtemp(prefix="qihub-bench-")
    os.environ["QIHUB_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qihub.settings")
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection

    from qihub.accounts.models import Role, Station, User
    from qihub.bookings.models import ACTIVE, Booking, BookingEvent, Resource, ResourceKind
    from qihub.bookings.slots import grid
    from qihub.bookings.workflow import book
    from qihub.core.workflow import WorkflowError
    from qihub.stations.models import Period

    call_command("migrate", verbosity=0)
    # A scratch database may hold an earlier run: start from nothing.
    BookingEvent.objects.all().delete()
    Booking.objects.all().delete()
    Resource.objects.all().delete()
    Station.objects.filter(name__in=["压测服务站", "对照服务站"]).delete()
    from qihub.notifications.models import Notification

    Notification.objects.filter(recipient__username__startswith="bench_rush_").delete()
    User.objects.filter(username__startswith="bench_rush_").delete()

    def window(name: str) -> Resource:
        station = Station.objects.create(name=name, region="320200")
        for day in range(7):  # every day 9–17: a week is 7 × 16 half-hour slots
            Period.objects.create(
                station=station, weekday=day, opens=dt.time(9), closes=dt.time(17)
            )
        return Resource.objects.create(
            kind=ResourceKind.STATION, name=name, station=station, max_future=10, horizon_days=7
        )

    rush, quiet = window("压测服务站"), window("对照服务站")
    users = [
        User.objects.create(username=f"bench_rush_{i}", role=Role.ENTERPRISE)
        for i in range(max(args.clients, args.baseline))
    ]

    # Baseline: one client at a time on the quiet window.
    quiet_slots = [s for _, row in grid(quiet) for s in row if s.free]
    base: list[float] = []
    for user, slot in zip(users[: args.baseline], quiet_slots, strict=False):
        started = time.perf_counter()
        book(quiet, user, slot.start, purpose="consult")
        base.append(time.perf_counter() - started)

    before = [s for _, row in grid(rush) for s in row if s.free]
    latencies: list[float] = []
    won = refused = errors = 0
    lock = threading.Lock()
    barrier = threading.Barrier(args.clients)

    def client(user: User, seed: int) -> None:
        nonlocal won, refused, errors
        rng = random.Random(seed)  # noqa: S311 - which slot a simulated client picks
        choices = before
        try:
            barrier.wait()
            for _ in range(args.tries):
                if not choices:
                    break
                slot = rng.choice(choices)
                started = time.perf_counter()
                try:
                    book(rush, user, slot.start, purpose="consult")
                    ok = True
                except WorkflowError:
                    ok = False
                took = time.perf_counter() - started
                with lock:
                    latencies.append(took)
                    won += ok
                    refused += not ok
                if ok:
                    return
                choices = [s for _, row in grid(rush) for s in row if s.free]
        except Exception as exc:  # noqa: BLE001 - counted and shown, the run goes on
            with lock:
                errors += 1
            print("错误：", type(exc).__name__, exc)
        finally:
            connection.close()

    started = time.perf_counter()
    threads = [
        threading.Thread(target=client, args=(u, i)) for i, u in enumerate(users[: args.clients])
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started

    overlaps = 0
    rows = list(
        Booking.objects.filter(resource=rush, status__in=ACTIVE)
        .order_by("start")
        .values_list("start", "end")
    )
    for (_, end), (start, _) in zip(rows, rows[1:], strict=False):
        overlaps += start < end
    # The same question asked by the database itself (any pair, not only neighbours).
    db_overlaps = (
        Booking.objects.filter(
            resource=rush,
            status__in=ACTIVE,
            resource__bookings__status__in=ACTIVE,
            resource__bookings__start__lt=django.db.models.F("end"),
            resource__bookings__end__gt=django.db.models.F("start"),
        )
        .exclude(resource__bookings__pk=django.db.models.F("pk"))
        .count()
    )

    wanted = args.clients
    capacity = len(before)
    print(f"数据库：{connection.vendor}；客户端 {wanted}；本周可约时段 {capacity}")
    print(f"成功 {won}（{won / wanted:.0%}，上限 {min(wanted, capacity) / wanted:.0%}）")
    print(f"被拒 {refused} 次；异常 {errors}；总用时 {wall:.2f} s")
    print(
        f"单次预约 p50 {statistics.median(latencies) * 1000:.1f} ms，"
        f"p95 {p95(latencies) * 1000:.1f} ms；"
        f"基线（单客户端）p95 {p95(base) * 1000:.1f} ms；比值 {p95(latencies) / p95(base):.1f}×"
    )
    print(f"重叠预约：相邻比较 {overlaps}，数据库查询 {db_overlaps}（须为 0）")
    if overlaps or db_overlaps or errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
