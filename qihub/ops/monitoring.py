"""The figures of the operators' health page and the metrics endpoint (OPS-1): one place, so
that the page and the department's monitoring never disagree."""

import datetime as dt
import shutil
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Count, Min, Q
from django.db.models.functions import ExtractHour
from django.utils import timezone

from qihub.workcal.calendar import TZ

SWEEP = "clock_sweep"


def beat(name: str, now: dt.datetime | None = None) -> None:
    """A periodic task ran: remember when (the health page shows the last clock sweep)."""
    from qihub.ops.models import Heartbeat

    Heartbeat.objects.update_or_create(name=name, defaults={"at": now or timezone.now()})


def last_beat(name: str) -> dt.datetime | None:
    from qihub.ops.models import Heartbeat

    return Heartbeat.objects.filter(name=name).values_list("at", flat=True).first()


def database_latency_ms() -> float | None:
    """A round trip to the database in milliseconds, None when it does not answer."""
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return None
    return round((time.perf_counter() - started) * 1000, 2)


@dataclass
class Outbox:
    waiting: int
    failed: int
    oldest_waiting: dt.datetime | None


def outbox() -> Outbox:
    """E-mail and SMS not yet sent (the inbox is delivered by being written); failed: tried at
    least once and still waiting."""
    from qihub.notifications.models import Channel, Notification

    pending = Notification.objects.filter(sent_at__isnull=True).exclude(channel=Channel.INBOX)
    figures = pending.aggregate(
        waiting=Count("id"), failed=Count("id", filter=Q(attempts__gt=0)), oldest=Min("created_at")
    )
    return Outbox(figures["waiting"], figures["failed"], figures["oldest"])


def disk_free() -> tuple[float, float]:
    """Free and total space of the data directory, in GB."""
    usage = shutil.disk_usage(settings.DATA_DIR)
    return round(usage.free / 1e9, 1), round(usage.total / 1e9, 1)


def today_start(now: dt.datetime | None = None) -> dt.datetime:
    local = (now or timezone.now()).astimezone(TZ)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def errors_today(now: dt.datetime | None = None) -> int:
    from qihub.ops.models import ServerError

    return ServerError.objects.filter(at__gte=today_start(now)).count()


def errors_per_hour(now: dt.datetime | None = None) -> list[int]:
    """Today's server errors in each local hour 0–23."""
    from qihub.ops.models import ServerError

    hours = [0] * 24
    rows = (
        ServerError.objects.filter(at__gte=today_start(now))
        .annotate(hour=ExtractHour("at", tzinfo=TZ))
        .values("hour")
        .annotate(n=Count("id"))
    )
    for row in rows:
        hours[row["hour"]] = row["n"]
    return hours


def overdue_by_kind() -> list[tuple[str, int]]:
    """Open clocks past their due time, per kind of clock (its Chinese name), most first."""
    from qihub.deadlines.clocks import CLOCKS
    from qihub.deadlines.models import Clock, ClockState

    rows = (
        Clock.objects.exclude(state=ClockState.STOPPED)
        .filter(overdue_at__isnull=False)
        .values("code")
        .annotate(n=Count("id"))
        .order_by("-n", "code")
    )
    return [(CLOCKS[r["code"]].name if r["code"] in CLOCKS else "其他时限", r["n"]) for r in rows]


# Requests per hour for the health page: a counter per local hour in the cache, kept a little
# over a day. Each process adds up its own requests and hands them to the cache at most every
# FLUSH_SECONDS: in embedded mode the cache is a database table, and a write per request would
# queue every page behind SQLite's one writer. A process killed loses at most those seconds.
REQUESTS_KEY = "ops-requests-{hour}"
REQUESTS_TTL = 26 * 3600
FLUSH_SECONDS = 10.0
_pending: dict[str, int] = {}
_pending_lock = threading.Lock()
_last_flush = [time.monotonic()]


def _hour_key(moment: dt.datetime) -> str:
    return REQUESTS_KEY.format(hour=moment.astimezone(TZ).strftime("%Y%m%d%H"))


def count_request(now: dt.datetime | None = None) -> None:
    """One more request this hour. Never fails a request: the cache may be down (B9)."""
    key = _hour_key(now or timezone.now())
    with _pending_lock:
        _pending[key] = _pending.get(key, 0) + 1
        due = time.monotonic() - _last_flush[0] >= FLUSH_SECONDS or len(_pending) > 1
    if due:
        flush_request_counts()


def flush_request_counts() -> None:
    """Add this process's counted requests to the shared counters."""
    from django.core.cache import cache

    with _pending_lock:
        counts = dict(_pending)
        _pending.clear()
        _last_flush[0] = time.monotonic()
    for key, n in counts.items():
        try:
            cache.incr(key, n)
        except ValueError:  # the first count of the hour (or the cache is unavailable)
            if not cache.add(key, n, REQUESTS_TTL):
                try:
                    cache.incr(key, n)
                except ValueError:
                    pass


def forget_pending_request_counts() -> None:
    """Drop this process's counts not yet handed to the cache (tests start from nothing)."""
    with _pending_lock:
        _pending.clear()


def requests_per_hour(now: dt.datetime | None = None) -> list[tuple[str, int]]:
    """The last 24 local hours, oldest first: (label such as "14时", requests)."""
    from django.core.cache import cache

    flush_request_counts()
    end = (now or timezone.now()).astimezone(TZ).replace(minute=0, second=0, microsecond=0)
    hours = [end - dt.timedelta(hours=back) for back in range(23, -1, -1)]
    counts = cache.get_many([_hour_key(hour) for hour in hours])
    return [(f"{hour.hour}时", int(counts.get(_hour_key(hour), 0))) for hour in hours]
