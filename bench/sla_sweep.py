"""Benchmark: one SLA sweep over N open clocks (default 1,000,000).

    python bench/sla_sweep.py                          # SQLite, in a temporary data directory
    python bench/sla_sweep.py --database-url postgres://…/scratch   # PostgreSQL (tables wiped)

Prints the sweep time and its ratio to a plain COUNT(*) over the same table, measured in the
same run (these machines are shared and noisy; the ratio is what to compare). Target: one
sweep over 1M clocks with 20k acted on in ≤ 3 s (issue 23). Clocks have owners (500 station
staff) and there are supervisors, as in real use, so reminders and escalations write their
notifications; `--owners 0` gives the old, flattering set-up.
"""

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clocks", type=int, default=1_000_000)
    parser.add_argument("--overdue", type=int, default=10_000, help="clocks past their deadline")
    parser.add_argument("--reminders", type=int, default=10_000, help="clocks due for a reminder")
    parser.add_argument(
        "--owners", type=int, default=500, help="station staff owning the clocks (0: none)"
    )
    parser.add_argument("--supervisors", type=int, default=3)
    parser.add_argument("--database-url", default="", help="a scratch PostgreSQL database")
    return parser.parse_args()


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
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from qihub.accounts.models import Role, User
    from qihub.deadlines.models import Clock
    from qihub.deadlines.workflow import sweep

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        tables = (
            "notifications_deliveredmessage",
            "notifications_notification",
            "deadlines_clockevent",
            "deadlines_clockpause",
            "deadlines_clock",
        )
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
    # As in real use: every clock has an owner (reminded) and escalations go to the
    # supervisors too, so the sweep writes notifications, not only events.
    User.objects.filter(username__startswith="bench_").delete()
    User.objects.bulk_create(
        [
            User(username=f"bench_supervisor_{i}", role=Role.SUPERVISOR)
            for i in range(args.supervisors)
        ]
        + [User(username=f"bench_owner_{i}", role=Role.STATION_STAFF) for i in range(args.owners)]
    )
    owner_ids = list(
        User.objects.filter(username__startswith="bench_owner_")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assert not owner_ids or owner_ids[-1] - owner_ids[0] == len(owner_ids) - 1, (
        "ids not consecutive"
    )
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(User).pk
    now = timezone.now()
    groups = [
        # (rows, due, remind_at): overdue, due for a reminder, and the quiet majority.
        (args.overdue, now - dt.timedelta(days=1), now - dt.timedelta(days=2)),
        (args.reminders, now + dt.timedelta(hours=10), now - dt.timedelta(hours=1)),
        (
            args.clocks - args.overdue - args.reminders,
            now + dt.timedelta(days=30),
            now + dt.timedelta(days=29),
        ),
    ]
    started = time.perf_counter()
    insert_clocks(connection, groups, content_type, now, owner_ids)
    load_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    count_seconds, count = best_of(3, lambda: Clock.objects.count())
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        sweep_seconds, result = timed(lambda: profiler.runcall(sweep, now=now))
        pstats.Stats(profiler).sort_stats(os.environ["BENCH_PROFILE"]).print_stats(20)
    else:
        sweep_seconds, result = timed(lambda: sweep(now=now))
    again_seconds, again = timed(lambda: sweep(now=now))

    print(f"engine: {connection.vendor}; clocks: {count:,} (loaded in {load_seconds:.1f} s)")
    print(f"COUNT(*) baseline: {count_seconds:.3f} s")
    print(
        f"sweep: {sweep_seconds:.3f} s — reminded {result.reminded:,}, "
        f"escalated {result.overdue:,}; ratio to COUNT(*): {sweep_seconds / count_seconds:.1f}x"
    )
    print(
        f"second sweep (idempotent, finds nothing): {again_seconds:.3f} s — reminded "
        f"{again.reminded}, escalated {again.overdue}; ratio: {again_seconds / count_seconds:.2f}x"
    )
    from qihub.notifications.models import Notification

    print(f"notifications written: {Notification.objects.count():,}")
    print(f"target: sweep ≤ 3 s for 1M clocks → {'met' if sweep_seconds <= 3 else 'NOT met'}")


def timed(work):  # noqa: ANN001, ANN201
    started = time.perf_counter()
    value = work()
    return time.perf_counter() - started, value


def best_of(times: int, work):  # noqa: ANN001, ANN201
    runs = [timed(work) for _ in range(times)]
    return min(r[0] for r in runs), runs[0][1]


def insert_clocks(connection, groups, content_type: int, now, owner_ids) -> None:  # noqa: ANN001
    """Generate rows inside the database engine: a million INSERTs from Python would time the
    driver, not the sweep."""
    offset = 0
    with connection.cursor() as cursor:
        for rows, due, remind in groups:
            if rows <= 0:
                continue
            if connection.vendor == "postgresql":
                series = "SELECT n FROM generate_series(%s, %s) AS n"
                params = [offset + 1, offset + rows]
            else:
                series = (
                    "WITH RECURSIVE seq(n) AS (SELECT %s UNION ALL SELECT n + 1 FROM seq "
                    "WHERE n < %s) SELECT n FROM seq"
                )
                params = [offset + 1, offset + rows]
            # `%%`: both drivers read the statement as a format string (PostgreSQL's psycopg, and
            # Django's SQLite wrapper turning `%s` into `?`), so a bare `%` is a broken placeholder.
            owner = f"{int(owner_ids[0])} + (n %% {len(owner_ids)})" if owner_ids else "NULL"
            values = (
                [now, due, remind]
                if connection.vendor == "postgresql"
                else [_sqlite(now), _sqlite(due), _sqlite(remind)]
            )
            insert = (
                "INSERT INTO deadlines_clock (code, content_type_id, object_id, state, "  # noqa: S608
                "started_at, due_at, provisional, remind_at, owner_id) "
                "SELECT 'demand_response', %s, CAST(n AS TEXT), 'running', %s, %s, FALSE, %s, "
                f"{owner} FROM ({series}) AS numbers"
            )  # only our fixed series statements and an integer expression are spliced in
            cursor.execute(insert, [content_type, *values, *params])
            offset += rows


def _sqlite(moment) -> str:  # noqa: ANN001
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


if __name__ == "__main__":
    main()
