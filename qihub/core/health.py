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


def health_report() -> dict:
    report = {
        "database": _database(),
        "queue": _queue(),
        "calendar": _calendar(timezone.localdate()),
    }
    failing = [name for name, part in report.items() if part["status"] == "error"]
    report["status"] = "error" if failing else "ok"
    report["time"] = timezone.localtime().isoformat(timespec="seconds")
    return report
