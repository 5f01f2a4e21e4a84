"""Benchmark: 200 clients book a realistic week over several resources (ORD-3, INS-2, ADR 0013).

    python bench/booking_week.py                        # SQLite, in a temporary data directory
    python bench/booking_week.py --database-url postgres://…/scratch   # PostgreSQL

In-process, like `booking_rush.py`: each client is a thread with its own database connection
calling `bookings.workflow.book`, the call the page and the API make. Unlike the rush, clients
arrive spread over --spread seconds, as over a morning of real traffic, and behave like people:

- each wants one of four resources (two station windows, an institution's appointment service,
  an open lab booked by the hour in blocks of 1–3 hours), most of them the busiest window;
- 70 % prefer a morning slot and take an afternoon one only when no morning is left;
- when told 该时段已被预约 they re-read the grid and try another free slot (up to --tries);
- a third book a second resource; one in ten cancels a booking a moment later.

Prints the success rate, the p95 latency of one booking attempt as a ratio against a baseline
measured in the same run (one client alone on a quiet resource), and the number of overlapping
active bookings counted by one SQL self-join after the run — which must be 0.
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

OVERLAPS_SQL = """
SELECT COUNT(*) FROM bookings_booking a
JOIN bookings_booking b
  ON a.resource_id = b.resource_id AND a.id < b.id
 AND a."start" < b."end" AND b."start" < a."end"
WHERE a.status IN ('requested', 'confirmed', 'checked_in')
  AND b.status IN ('requested', 'confirmed', 'checked_in')
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--tries", type=int, default=4, help="attempts per wanted booking")
    parser.add_argument("--spread", type=float, default=20.0, help="seconds over which they arrive")
    parser.add_argument("--baseline", type=int, default=40, help="uncontended bookings")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--database-url", default="", help="a scratch PostgreSQL database")
    return parser.parse_args()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) > 1 else values[0]


def main() -> None:  # noqa: PLR0915 - one straight script
    args = parse_args()
    os.environ["QIHUB_DATA_DIR"] = tempfile.mkdtemp(prefix="qihub-bench-")
    os.environ.pop("DATABASE_URL", None)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qihub.settings")
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection

    from qihub.accounts.models import MemberKind, Organisation, Role, Station, User
    from qihub.bookings.models import Booking, BookingEvent, Resource, ResourceKind, WeeklyHour
    from qihub.bookings.slots import grid
    from qihub.bookings.workflow import book, cancel
    from qihub.core.workflow import WorkflowError
    from qihub.notifications.models import Notification
    from qihub.stations.models import Period
    from qihub.workcal.calendar import TZ

    call_command("migrate", verbosity=0)
    # A scratch database may hold an earlier run: start from nothing.
    BookingEvent.objects.all().delete()
    Booking.objects.all().delete()
    Resource.objects.all().delete()
    Station.objects.filter(name__startswith="压测周").delete()
    Organisation.objects.filter(name__startswith="压测周").delete()
    Notification.objects.filter(recipient__username__startswith="bench_week_").delete()
    User.objects.filter(username__startswith="bench_week_").delete()

    def station_window(name: str) -> Resource:
        station = Station.objects.create(name=name, region="320200")
        for day in range(5):
            Period.objects.create(
                station=station, weekday=day, opens=dt.time(9), closes=dt.time(12)
            )
            Period.objects.create(
                station=station, weekday=day, opens=dt.time(13, 30), closes=dt.time(17)
            )
        return Resource.objects.create(
            kind=ResourceKind.STATION,
            name=name,
            station=station,
            slot_minutes=15,
            horizon_days=7,
            max_future=3,
        )

    def owned(name: str, kind: str, **policy: int) -> Resource:
        account = User.objects.create(username=f"bench_week_{kind}", role=Role.INSTITUTION)
        org = Organisation.objects.create(
            account=account,
            kind=MemberKind.INSTITUTION,
            name=name,
            uscc=f"91320211MA{abs(hash(name)) % 10**8:08d}",
            contact_name="压测",
            region="320211",
        )
        resource = Resource.objects.create(
            kind=kind, name=name, organisation=org, horizon_days=7, **policy
        )
        for day in range(5):
            WeeklyHour.objects.create(
                resource=resource, weekday=day, opens=dt.time(9), closes=dt.time(12)
            )
            WeeklyHour.objects.create(
                resource=resource, weekday=day, opens=dt.time(13, 30), closes=dt.time(17, 30)
            )
        return resource

    busy = station_window("压测周服务站甲")
    second = station_window("压测周服务站乙")
    service = owned("压测周检测所", ResourceKind.INSTITUTION, slot_minutes=30, gap_minutes=10)
    lab = owned("压测周开放实验室", ResourceKind.LAB, slot_minutes=60, max_slots=3, per_day=1)
    quiet = station_window("压测周对照站")
    resources = [busy, second, service, lab]
    weights = [0.45, 0.2, 0.2, 0.15]
    purpose = {busy.pk: "consult", second.pk: "report", service.pk: "sample", lab.pk: "rent"}

    users = [
        User.objects.create(username=f"bench_week_{i}", role=Role.ENTERPRISE)
        for i in range(max(args.clients, args.baseline))
    ]

    # Baseline: one client at a time on the quiet window, the same call.
    base: list[float] = []
    quiet_slots = [s for _, row in grid(quiet) for s in row if s.free]
    for user, slot in zip(users[: args.baseline], quiet_slots, strict=False):
        started = time.perf_counter()
        book(quiet, user, slot.start, purpose="consult")
        base.append(time.perf_counter() - started)

    latencies: list[float] = []
    counts = {"wanted": 0, "won": 0, "refused": 0, "gave_up": 0, "cancelled": 0, "errors": 0}
    lock = threading.Lock()

    def free_slots(resource: Resource, morning: bool | None) -> list:
        slots = [s for _, row in grid(resource) for s in row if s.free]
        if morning is None:
            return slots
        mornings = [s for s in slots if s.start.astimezone(TZ).hour < 12]
        return mornings if morning and mornings else slots

    def want(user: User, resource: Resource, rng: random.Random, morning: bool) -> None:
        with lock:
            counts["wanted"] += 1
        blocks = rng.choice([1, 2, 2, 3]) if resource.kind == ResourceKind.LAB else 1
        for _ in range(args.tries):
            choices = free_slots(resource, morning)
            if not choices:
                break
            slot = rng.choice(choices)
            started = time.perf_counter()
            try:
                made = book(resource, user, slot.start, slots=blocks, purpose=purpose[resource.pk])
                ok = True
            except WorkflowError:
                ok = False
            took = time.perf_counter() - started
            with lock:
                latencies.append(took)
                counts["won" if ok else "refused"] += 1
            if ok:
                if rng.random() < 0.1:
                    time.sleep(rng.random())
                    cancel(made, by=user)
                    with lock:
                        counts["cancelled"] += 1
                return
        with lock:
            counts["gave_up"] += 1

    def client(user: User, seed: int) -> None:
        rng = random.Random(seed)  # noqa: S311 - a simulated client's choices
        try:
            time.sleep(rng.random() * args.spread)
            morning = rng.random() < 0.7
            first = rng.choices(resources, weights)[0]
            want(user, first, rng, morning)
            if rng.random() < 1 / 3:
                others = [r for r in resources if r.pk != first.pk]
                want(user, rng.choice(others), rng, morning)
        except Exception as exc:  # noqa: BLE001 - counted and shown, the run goes on
            with lock:
                counts["errors"] += 1
            print("错误：", type(exc).__name__, exc)
        finally:
            connection.close()

    capacity = {r.name: len(free_slots(r, None)) for r in resources}
    started = time.perf_counter()
    threads = [
        threading.Thread(target=client, args=(u, args.seed * 1000 + i))
        for i, u in enumerate(users[: args.clients])
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started

    with connection.cursor() as cursor:
        cursor.execute(OVERLAPS_SQL)
        overlaps = cursor.fetchone()[0]

    c = counts
    print(
        f"数据库：{connection.vendor}；客户端 {args.clients}；到达时间分散在 {args.spread:.0f} 秒内"
    )
    print("本周可约时段：" + "，".join(f"{k} {v}" for k, v in capacity.items()))
    print(
        f"想约 {c['wanted']} 次，约到 {c['won']}（成功率 {c['won'] / c['wanted']:.0%}），"
        f"放弃 {c['gave_up']}；被拒尝试 {c['refused']} 次；取消 {c['cancelled']}；异常 {c['errors']}"
    )
    print(
        f"单次预约 p50 {statistics.median(latencies) * 1000:.1f} ms，"
        f"p95 {p95(latencies) * 1000:.1f} ms；基线（单客户端）p95 {p95(base) * 1000:.1f} ms；"
        f"比值 {p95(latencies) / p95(base):.1f}×；总用时 {wall:.1f} s"
    )
    print(f"重叠预约（SQL 自连接）：{overlaps}（须为 0）")
    if overlaps or c["errors"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
