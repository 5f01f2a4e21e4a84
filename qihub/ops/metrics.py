"""The metrics endpoint in Prometheus format (OPS-1) for the department's monitoring.

django-prometheus's middleware counts requests and latencies; our collector adds the platform's
own gauges, read from the database at each scrape. The endpoint is protected: a bearer token
(`QIHUB_METRICS_TOKEN`) for the monitoring system, or a logged-in operator or administrator."""

import hmac
from collections.abc import Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from qihub.accounts.roles import DECIDERS

GAUGES = (
    "qihub_outbox_waiting",
    "qihub_outbox_failed",
    "qihub_clocks_overdue",
    "qihub_errors_today",
    "qihub_clock_sweep_last_run_timestamp_seconds",
)


class PlatformCollector(Collector):
    def describe(self) -> Iterator[GaugeMetricFamily]:
        # Names only: registering must not query the database (it may not exist yet).
        for name in GAUGES:
            yield GaugeMetricFamily(name, "")

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from qihub.ops import monitoring

        box = monitoring.outbox()
        yield GaugeMetricFamily(
            "qihub_outbox_waiting", "Notifications (e-mail, SMS) not yet sent", value=box.waiting
        )
        yield GaugeMetricFamily(
            "qihub_outbox_failed", "Notifications tried and still not sent", value=box.failed
        )
        overdue = GaugeMetricFamily(
            "qihub_clocks_overdue", "Open clocks past their due time", labels=["clock"]
        )
        from qihub.deadlines.models import Clock, ClockState

        codes = (
            Clock.objects.exclude(state=ClockState.STOPPED)
            .filter(overdue_at__isnull=False)
            .values_list("code", flat=True)
        )
        counts: dict[str, int] = {}
        for code in codes:
            counts[code] = counts.get(code, 0) + 1
        for code, n in sorted(counts.items()):
            overdue.add_metric([code], n)
        yield overdue
        yield GaugeMetricFamily(
            "qihub_errors_today",
            "Server errors since local midnight",
            value=monitoring.errors_today(),
        )
        sweep = monitoring.last_beat(monitoring.SWEEP)
        yield GaugeMetricFamily(
            "qihub_clock_sweep_last_run_timestamp_seconds",
            "When the clock sweep last ran (0: never)",
            value=sweep.timestamp() if sweep else 0,
        )


_collector = PlatformCollector()


def register() -> None:
    """Once per process (AppConfig.ready may run again in tests)."""
    try:
        REGISTRY.register(_collector)
    except ValueError:  # already registered
        pass


def _allowed(request: HttpRequest) -> bool:
    token = getattr(settings, "QIHUB_METRICS_TOKEN", "")
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header[7:].strip().encode(), token.encode())
    user = request.user
    return user.is_authenticated and getattr(user, "role", None) in DECIDERS


def metrics(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return HttpResponse("无权查看", status=403, content_type="text/plain; charset=utf-8")
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
