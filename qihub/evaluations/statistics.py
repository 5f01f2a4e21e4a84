"""Quarterly and yearly figures per platform, institution and station (EVAL-6).

Each figure is one grouped query per record type, so the cost does not grow with the number of
institutions beyond the rows returned. Pages and charts read them through `figures`, which keeps
each period's result in the cache until one of its inputs changes (issue 23: the page and its two
charts used to compute the same figures seven times per visit).
"""

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from qihub.accounts.models import Organisation, Station
from qihub.complaints.models import Complaint
from qihub.core.generations import Generation
from qihub.deadlines.clocks import spec_for
from qihub.deadlines.models import Clock, ClockState
from qihub.demands.models import Demand
from qihub.evaluations import satisfaction
from qihub.evaluations.models import (
    Campaign,
    Evaluation,
    Method,
    Rectification,
    RectificationStatus,
)
from qihub.orders.models import Order, OrderStatus
from qihub.workcal.calendar import TZ

ORDER_ON_TIME = "订单按期完成"


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None  # None: the whole year

    @property
    def start(self) -> dt.datetime:
        month = 1 if self.quarter is None else 3 * self.quarter - 2
        return dt.datetime(self.year, month, 1, tzinfo=TZ)

    @property
    def end(self) -> dt.datetime:
        if self.quarter is None or self.quarter == 4:
            return dt.datetime(self.year + 1, 1, 1, tzinfo=TZ)
        return dt.datetime(self.year, 3 * self.quarter + 1, 1, tzinfo=TZ)

    @property
    def label(self) -> str:
        return f"{self.year}年度" if self.quarter is None else f"{self.year}年第{self.quarter}季度"

    def quarters(self) -> list[int]:
        return [1, 2, 3, 4] if self.quarter is None else [self.quarter]


class PeriodError(ValueError):
    pass


# Inputs also change without a save signal (bulk updates by the clock sweep) and "late" depends on
# the hour, so a result is recomputed after this long even when nothing announces a change.
CACHE_SECONDS = 300
GENERATION_KEY = "statistics:generation"
STATISTICS_GENERATION = Generation(GENERATION_KEY)
# A period's last figures are kept this long after they go stale, to be served while one visitor
# recomputes them (stale-while-revalidate, issue 23).
KEEP_SECONDS = 24 * 3600
# How long one visitor holds the right to recompute a period's figures. It is released when the
# computation ends; this only bounds how long a process that died holding it stops the others.
LOCK_SECONDS = 30


def generation() -> int:
    return STATISTICS_GENERATION.current()


def inputs_changed(**kwargs: object) -> None:
    """Make every cached figure stale."""
    STATISTICS_GENERATION.bump()


@dataclass(frozen=True)
class Served:
    """Figures as served: `version` names the computation they came from (cache keys of what is
    drawn from them use it), `generation` the statistics generation it started at."""

    generation: int
    computed_at: float
    figures: list["Figures"]

    @property
    def version(self) -> str:
        return f"{self.generation}.{self.computed_at:.3f}"


def served(period: Period, grouping: str = "platform") -> Served:
    """`compute`'s result for the period and grouping, recomputed when an input has changed."""
    return served_many(period, [grouping])[0]


def served_many(period: Period, groupings: list[str]) -> list[Served]:
    """`served` for several groupings of one period, read from the cache in one round trip with
    the generation and written back in one (on embedded mode each cache call costs queries).

    Under a stream of writes every visitor would find the figures stale, and every one of them
    recomputed them at once (a dogpile: 50 queries each in the B1 mix). Now one visitor at a
    time, in any process, takes the period's lock and recomputes the stale groupings in its own
    request, so a visitor who comes after a write sees it; the others meanwhile get the previous
    figures. A visitor who finds no figures at all for a grouping computes them."""
    keys = [figures_key(period, grouping) for grouping in groupings]
    found = cache.get_many([GENERATION_KEY, *keys])
    current = int(found[GENERATION_KEY]) if GENERATION_KEY in found else generation()
    entries = [found.get(key) for key in keys]
    if all(_is_fresh(entry, current) for entry in entries):
        return cast("list[Served]", entries)
    lock = lock_key(period)
    locked = cache.add(lock, 1, LOCK_SECONDS)
    served: list[Served] = []
    computed: dict[str, Served] = {}
    try:
        for grouping, key, entry in zip(groupings, keys, entries, strict=True):
            if isinstance(entry, Served) and (not locked or _is_fresh(entry, current)):
                served.append(entry)  # fresh, or another visitor is recomputing it
                continue
            fresh = Served(current, time.time(), compute(period, grouping))
            computed[key] = fresh
            served.append(fresh)
        if computed:
            cache.set_many(computed, KEEP_SECONDS)
    finally:
        if locked:
            cache.delete(lock)
    return served


def _is_fresh(entry: object, current: int) -> bool:
    return (
        isinstance(entry, Served)
        and entry.generation == current
        and time.time() - entry.computed_at < CACHE_SECONDS
    )


def figures_key(period: Period, grouping: str) -> str:
    return f"statistics:figures:{period.year}:{period.quarter}:{grouping}"


def lock_key(period: Period) -> str:
    """Held by the one visitor recomputing the period's figures (any grouping)."""
    return f"statistics:recompute:{period.year}:{period.quarter}"


def figures(period: Period, grouping: str = "platform") -> list["Figures"]:
    """`compute`, cached per period and grouping (see `served`)."""
    return served(period, grouping).figures


def cached(name: str, periods: list[Period], make: Callable[[list["Figures"]], bytes]) -> bytes:
    """Something drawn from the platform figures of `periods` (a chart), cached as long as they
    are: keyed by the figures served and drawn from those very figures, so a chart is never kept
    under newer figures than those it was drawn from."""
    platforms = [served(period) for period in periods]
    versions = "-".join(s.version for s in platforms)
    key = f"statistics:drawn:{name}:{periods[0].year}:{periods[0].quarter}:{versions}"
    return cast(
        bytes,
        cache.get_or_set(key, lambda: make([s.figures[0] for s in platforms]), CACHE_SECONDS),
    )


def parse_period(year: str | None, quarter: str | None, now: dt.datetime | None = None) -> Period:
    """From query parameters; the current quarter when none are given."""
    today = (now or timezone.now()).astimezone(TZ).date()
    try:
        number = int(year) if year else today.year
    except ValueError:
        raise PeriodError("年度：请填写四位数字年份") from None
    if not 2000 <= number <= today.year + 1:
        raise PeriodError(f"年度：须在 2000–{today.year + 1} 之间")
    if quarter in (None, ""):
        return Period(number, None if year else (today.month - 1) // 3 + 1)
    if quarter not in {"1", "2", "3", "4"}:
        raise PeriodError("季度：请选择 1–4 或全年")
    return Period(number, int(quarter))


@dataclass
class Figures:
    key: object
    name: str
    demands: int = 0
    orders: int = 0
    completed: int = 0
    complaints: int = 0
    substantiated: int = 0
    evaluations: int = 0
    dissatisfied: int = 0
    on_time: dict[str, list[int]] = field(default_factory=dict)  # name → [on time, due]
    tally: satisfaction.Tally = field(default_factory=satisfaction.Tally.empty)
    by_method: dict[str, float | None] = field(default_factory=dict)
    rectifications: int = 0
    rectified: int = 0

    def index(self) -> float | None:
        return satisfaction.combined_index(self.by_method)

    def rate(self, name: str) -> float | None:
        ok, total = self.on_time.get(name, (0, 0))
        return round(100 * ok / total, 1) if total else None

    def on_time_counts(self) -> tuple[int, int]:
        """(on time, due) over every time limit: shown beside the rate, so 100% over 2 items
        does not read like 100% over 200, and a rate over no orders says what it counts."""
        return sum(v[0] for v in self.on_time.values()), sum(v[1] for v in self.on_time.values())

    def on_time_rate(self) -> float | None:
        ok, total = self.on_time_counts()
        return round(100 * ok / total, 1) if total else None

    def complaint_rate(self) -> float | None:
        """Complaints per 100 completed orders."""
        return round(100 * self.complaints / self.completed, 1) if self.completed else None

    def closure_rate(self) -> float | None:
        return round(100 * self.rectified / self.rectifications, 1) if self.rectifications else None


# For each grouping, the path from each record type to the group key (None: not attributable).
PATHS: dict[str, dict[str, object]] = {
    "platform": {},
    "institution": {
        "demand": None,
        "order": "institution",
        "evaluation": "order__institution",
        "complaint": "against_organisation",
        "rectification": "institution",
        "clock": None,
        "campaign": "institution",
    },
    "station": {
        "demand": "responsible__station",
        "order": "demand__responsible__station",
        "evaluation": "order__demand__responsible__station",
        "complaint": Coalesce("against_station", "against_staff__station"),
        "rectification": "station",
        "clock": "owner__station",
        "campaign": "station",
    },
}


def _grouped(
    queryset: object, grouping: str, kind: str, **aggregates: object
) -> dict[object, dict]:
    """{group key: aggregates}; the platform is the single key None."""
    if grouping == "platform":
        return {None: queryset.aggregate(**aggregates)}  # type: ignore[attr-defined]
    path = PATHS[grouping][kind]
    if path is None:
        return {}
    rows = queryset.annotate(group=F(path) if isinstance(path, str) else path).exclude(group=None)  # type: ignore[attr-defined]
    return {row.pop("group"): row for row in rows.values("group").annotate(**aggregates)}


def compute(period: Period, grouping: str = "platform") -> list[Figures]:
    """Figures for every group that had anything in the period."""
    start, end = period.start, period.end
    now = min(end, timezone.now())
    groups: dict[object, Figures] = {}

    def at(key: object) -> Figures:
        if key not in groups:
            groups[key] = Figures(key, "")
        return groups[key]

    for key, row in _grouped(
        Demand.objects.filter(published_at__gte=start, published_at__lt=end),
        grouping,
        "demand",
        n=Count("id"),
    ).items():
        at(key).demands = row["n"]
    orders = Order.objects.filter(placed_at__gte=start, placed_at__lt=end)
    for key, row in _grouped(orders, grouping, "order", n=Count("id")).items():
        at(key).orders = row["n"]
    completed = Order.objects.filter(
        status=OrderStatus.COMPLETED, completed_at__gte=start, completed_at__lt=end
    )
    late_open = Order.objects.filter(due_at__gte=start, due_at__lt=now).exclude(
        status=OrderStatus.COMPLETED
    )
    in_time = Q(due_at=None) | Q(completed_at__lte=F("due_at"))
    for key, row in _grouped(
        completed, grouping, "order", n=Count("id"), ok=Count("id", filter=in_time)
    ).items():
        at(key).completed = row["n"]
        at(key).on_time[ORDER_ON_TIME] = [row["ok"], row["n"]]
    for key, row in _grouped(late_open, grouping, "order", n=Count("id")).items():
        ok, total = at(key).on_time.get(ORDER_ON_TIME, [0, 0])
        at(key).on_time[ORDER_ON_TIME] = [ok, total + row["n"]]
    ended = Q(state=ClockState.STOPPED, stopped_at__gte=start, stopped_at__lt=end)
    unmet = Q(due_at__gte=start, due_at__lt=now) & ~Q(state=ClockState.STOPPED)
    clocks = Clock.objects.filter(ended | unmet)
    met = Count("id", filter=Q(state=ClockState.STOPPED, stopped_at__lte=F("due_at")))
    if grouping == "platform":
        for per_code in clocks.values("code").annotate(n=Count("id"), ok=met):
            at(None).on_time[spec_for(per_code["code"]).name] = [per_code["ok"], per_code["n"]]
    elif PATHS[grouping]["clock"]:
        by_group = clocks.annotate(group=F(str(PATHS[grouping]["clock"]))).exclude(group=None)
        for per_group in by_group.values("group", "code").annotate(n=Count("id"), ok=met):
            at(per_group["group"]).on_time[spec_for(per_group["code"]).name] = [
                per_group["ok"],
                per_group["n"],
            ]
    complaints = Complaint.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    for key, row in _grouped(
        complaints,
        grouping,
        "complaint",
        n=Count("id"),
        yes=Count("id", filter=Q(substantiated=True)),
    ).items():
        at(key).complaints, at(key).substantiated = row["n"], row["yes"]
    sums = {code: Sum(code) for code in satisfaction.FROM_SERVICE_EVALUATION}
    evaluations = Evaluation.objects.filter(at__gte=start, at__lt=end)
    for key, row in _grouped(
        evaluations,
        grouping,
        "evaluation",
        n=Count("id"),
        bad=Count("id", filter=Q(overall__lte=2)),
        **sums,
    ).items():
        figures = at(key)
        figures.evaluations, figures.dissatisfied = row["n"], row["bad"]
        if row["n"]:
            for source, target in satisfaction.FROM_SERVICE_EVALUATION.items():
                figures.tally.sums[target] += row[source] or 0
                figures.tally.counts[target] += row["n"]
            figures.tally.responses += row["n"]
    rectifications = Rectification.objects.filter(opened_at__gte=start, opened_at__lt=end)
    for key, row in _grouped(
        rectifications,
        grouping,
        "rectification",
        n=Count("id"),
        closed=Count("id", filter=Q(status=RectificationStatus.CLOSED)),
    ).items():
        at(key).rectifications, at(key).rectified = row["n"], row["closed"]
    _add_campaigns(period, grouping, groups)
    for figures in groups.values():
        rate = figures.rate(ORDER_ON_TIME)
        figures.by_method[Method.USER] = satisfaction.with_measured_efficiency(
            figures.tally, None if rate is None else rate / 100
        ).index()
    _name(grouping, groups)
    return sorted(groups.values(), key=lambda f: (-f.orders, -f.evaluations, f.name))


def _add_campaigns(period: Period, grouping: str, groups: dict[object, Figures]) -> None:
    campaigns = Campaign.objects.filter(year=period.year, quarter__in=period.quarters())
    if grouping == "platform":
        campaigns = campaigns.filter(institution=None, station=None)
        key_of = lambda c: None  # noqa: E731
    elif PATHS[grouping]["campaign"]:
        field_name = str(PATHS[grouping]["campaign"])
        campaigns = campaigns.exclude(**{field_name: None})
        key_of = lambda c: getattr(c, f"{field_name}_id")  # noqa: E731
    else:
        return
    tallies: dict[tuple[object, str], satisfaction.Tally] = defaultdict(satisfaction.Tally.empty)
    for campaign in campaigns.prefetch_related("responses"):
        for response in campaign.responses.all():
            tallies[(key_of(campaign), campaign.method)].add(response.scores)
    for (key, method), tally in tallies.items():
        if key not in groups:
            groups[key] = Figures(key, "")
        if method == Method.USER:  # a user survey adds to the users' answers
            for code in tally.sums:
                groups[key].tally.sums[code] += tally.sums[code]
                groups[key].tally.counts[code] += tally.counts[code]
            groups[key].tally.responses += tally.responses
        else:
            groups[key].by_method[method] = tally.index()


def _name(grouping: str, groups: dict[object, Figures]) -> None:
    if grouping == "platform":
        if None not in groups:
            groups[None] = Figures(None, "")
        groups[None].name = "平台合计"
        return
    model = Organisation if grouping == "institution" else Station
    names: dict[object, str] = dict(
        model.objects.filter(pk__in=list(groups)).values_list("pk", "name")
    )
    for key, figures in groups.items():
        figures.name = names.get(key, "（已删除）")


def public(figures: list[Figures]) -> list[Figures]:
    """Groups large enough to publish: an index from fewer evaluations could point at a person."""
    return [f for f in figures if f.evaluations >= settings.QIHUB_STATS_MIN_GROUP]


def dissatisfied(period: Period) -> list[Evaluation]:
    return list(
        Evaluation.objects.filter(at__gte=period.start, at__lt=period.end, overall__lte=2)
        .select_related("order__institution", "analysed_by")
        .order_by("at")
    )


def published_rechecks(period: Period) -> list[Rectification]:
    """Closed rectifications with their re-check result, for the public page (EVAL-9)."""
    return list(
        Rectification.objects.filter(
            status=RectificationStatus.CLOSED, closed_at__gte=period.start, closed_at__lt=period.end
        )
        .select_related("institution", "station")
        .order_by("-closed_at")
    )
