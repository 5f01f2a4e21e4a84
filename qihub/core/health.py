"""Health of the parts a request depends on (OPS-1): database, background queue, calendar."""

import datetime as dt
import logging

from django.db import connection
from django.utils import timezone

logger = logging.getLogger(__name__)


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"; the reason is logged, not shown
        logger.error("health: database unreachable: %s", exc)
        return {"status": "error", "vendor": connection.vendor}
    return {"status": "ok", "vendor": connection.vendor}


def _queue() -> dict:
    from huey.contrib.djhuey import HUEY

    backend = type(HUEY).__name__
    try:
        pending = HUEY.pending_count()
    except Exception as exc:
        logger.error("health: queue unreachable: %s", exc)
        return {"status": "error", "backend": backend}
    return {"status": "ok", "backend": backend, "pending": pending}


def _calendar(today: dt.date) -> dict:
    from qihub.workcal.services import official_years

    try:
        official = official_years()
    except Exception as exc:
        logger.error("health: calendar unreadable: %s", exc)
        return {"status": "error"}
    return {
        # Provisional: deadlines reaching this year count weekends only until it is confirmed.
        "status": "ok" if today.year in official else "provisional",
        "official_through": max(official, default=None),
        "next_year_official": today.year + 1 in official,
    }


def _cache() -> dict:
    from django.core.cache import cache

    backend = type(cache).__name__
    try:
        cache.set("qihub-health", "1", 10)
        answered = cache.get("qihub-health") == "1"
    except Exception as exc:
        logger.error("health: cache unreachable: %s", exc)
        return {"status": "error", "backend": backend}
    return {"status": "ok" if answered else "error", "backend": backend}


# The sweep runs every 5 minutes; a clock past due for longer than this and still not marked
# overdue means the periodic task is not running.
SWEEP_GRACE = dt.timedelta(minutes=15)


def _sweep(now: dt.datetime) -> dict:
    from qihub.deadlines.models import Clock, ClockState

    try:
        missed = Clock.objects.filter(
            state=ClockState.RUNNING, overdue_at__isnull=True, due_at__lt=now - SWEEP_GRACE
        ).count()
    except Exception as exc:
        logger.error("health: clocks unreadable: %s", exc)
        return {"status": "error", "missed": None}
    # Late escalations are a warning (the sweep catches up when it runs), not an outage.
    return {"status": "late" if missed else "ok", "missed": missed}


def health_report() -> dict:
    report = {
        "database": _database(),
        "cache": _cache(),
        "queue": _queue(),
        "clock_sweep": _sweep(timezone.now()),
        "calendar": _calendar(timezone.localdate()),
    }
    failing = [name for name, part in report.items() if part["status"] == "error"]
    report["status"] = "error" if failing else "ok"
    report["time"] = timezone.localtime().isoformat(timespec="seconds")
    return report
