"""Benchmark: the daily ledger warning sweep (ENT-1, ENT-2) over N schedules (default 1,000,000),
as a ratio to the SLA clock sweep of `sla_sweep.py` over as many clocks, both in the same run.

    python bench/ledger_sweep.py                      # SQLite, in a temporary data directory
    python bench/ledger_sweep.py --schedules 100000   # a quick look
    python bench/ledger_sweep.py --database-url postgres://…/scratch   # PostgreSQL (tables wiped)

Data: N/2 instruments with two schedules each; `--due` of them (default 10,000) reach a warning
level today, the rest are months away. The clock side is `sla_sweep.py`'s: N clocks, 10,000
overdue and 10,000 due for a reminder.
"""

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=10_000, help="schedules reaching a level today")
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
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from sla_sweep import best_of, insert_clocks, timed

    from qihub.accounts.models import Role, User
    from qihub.deadlines.workflow import sweep as clock_sweep
    from qihub.equipment.engine import sweep as ledger_sweep
    from qihub.equipment.models import Schedule

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        for table in (
            "notifications_deliveredmessage",
            "notifications_notification",
            "deadlines_clockevent",
            "deadlines_clockpause",
            "deadlines_clock",
            "equipment_warning",
            "equipment_certificate",
            "equipment_schedule",
            "equipment_item",
        ):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
    owner, _ = User.objects.get_or_create(
        username="bench_enterprise", defaults={"role": Role.ENTERPRISE}
    )
    User.objects.get_or_create(username="bench_supervisor", defaults={"role": Role.SUPERVISOR})
    now = timezone.now()
    today = timezone.localdate()

    started = time.perf_counter()
    insert_ledger(connection, owner.pk, args.schedules, args.due, today)
    ledger_load = time.perf_counter() - started
    content_type = ContentType.objects.get_for_model(User).pk
    started = time.perf_counter()
    insert_clocks(
        connection,
        [
            (10_000, now - dt.timedelta(days=1), now - dt.timedelta(days=2)),
            (10_000, now + dt.timedelta(hours=10), now - dt.timedelta(hours=1)),
            (args.schedules - 20_000, now + dt.timedelta(days=30), now + dt.timedelta(days=29)),
        ],
        content_type,
        now,
    )
    clock_load = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    count_seconds, count = best_of(3, lambda: Schedule.objects.count())
    clock_seconds, clock_result = timed(lambda: clock_sweep(now=now))
    ledger_seconds, sent = timed(lambda: ledger_sweep(today, now))
    again_seconds, again = timed(lambda: ledger_sweep(today, now))

    print(
        f"engine: {connection.vendor}; schedules: {count:,} (loaded in {ledger_load:.1f} s); "
        f"clocks loaded in {clock_load:.1f} s"
    )
    print(f"COUNT(*) over schedules: {count_seconds:.3f} s")
    print(
        f"clock sweep: {clock_seconds:.3f} s — reminded {clock_result.reminded:,}, "
        f"escalated {clock_result.overdue:,}"
    )
    print(
        f"ledger sweep: {ledger_seconds:.3f} s — warned {sent:,}; "
        f"ratio to the clock sweep: {ledger_seconds / clock_seconds:.2f}x; "
        f"to COUNT(*): {ledger_seconds / count_seconds:.0f}x"
    )
    print(
        f"second ledger sweep (idempotent): {again_seconds:.3f} s — warned {again}; "
        f"ratio to the clock sweep: {again_seconds / clock_seconds:.3f}x"
    )


def insert_ledger(connection, owner: int, schedules: int, due: int, today: dt.date) -> None:  # noqa: ANN001
    """Items and schedules generated inside the database engine (see sla_sweep.insert_clocks)."""
    items = (schedules + 1) // 2
    postgres = connection.vendor == "postgresql"

    def series(first: int, last: int) -> tuple[str, list[int]]:
        if postgres:
            return "SELECT n FROM generate_series(%s, %s) AS n", [first, last]
        return (
            "WITH RECURSIVE seq(n) AS (SELECT %s UNION ALL SELECT n + 1 FROM seq WHERE n < %s) "
            "SELECT n FROM seq",
            [first, last],
        )

    with connection.cursor() as cursor:
        sql, params = series(1, items)
        cursor.execute(
            "INSERT INTO equipment_item (id, owner_id, kind, name, model, serial, measuring_range, "  # noqa: S608
            "accuracy, location, keeper, compulsory, registration_no, use_certificate_no, "
            "out_of_service, created_at) SELECT n, %s, 'instrument', '压力表', '', "
            "CAST(n AS TEXT), '', '', '', '', FALSE, '', '', FALSE, %s "
            f"FROM ({sql}) AS numbers",
            [owner, dt.datetime.now(dt.UTC) if postgres else today.isoformat(), *params],
        )
        # Schedule n belongs to item (n + 1) / 2; the first `due` ones reach their 30-day level
        # today, the others fall due in 200 days.
        soon, later = today + dt.timedelta(days=30), today + dt.timedelta(days=200)
        for first, last, due_on in ((1, due, soon), (due + 1, schedules, later)):
            if last < first:
                continue
            sql, params = series(first, last)
            cursor.execute(
                "INSERT INTO equipment_schedule (id, item_id, kind, cycle_months, due_on, levels, "  # noqa: S608
                "next_warn_on, due_soon_from) SELECT n, (n + 1) / 2, 'verification', 12, %s, "
                "'[30, 15, 0]', %s, %s "
                f"FROM ({sql}) AS numbers",
                [
                    due_on,
                    due_on - dt.timedelta(days=30),
                    due_on - dt.timedelta(days=30),
                    *params,
                ],
            )


if __name__ == "__main__":
    main()
