import datetime as dt
import tempfile
from pathlib import Path

import pygal
from csp.decorators import csp_exempt
from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from qihub.accounts.permissions import role_required
from qihub.accounts.roles import BACK_OFFICE, DECIDERS
from qihub.core.health import health_report
from qihub.core.lists import make_list
from qihub.deadlines.clocks import spec_for
from qihub.deadlines.models import Clock, ClockState
from qihub.evaluations.stats_views import CHART_STYLE
from qihub.notifications.models import Channel
from qihub.notifications.outbox import notify
from qihub.ops import monitoring
from qihub.ops.forms import MarkOfficialForm, ScheduleImportForm
from qihub.ops.grid import year_grid
from qihub.ops.models import ServerError
from qihub.ops.tables import ServerErrorTable, method_label, role_label
from qihub.workcal.calendar import TZ, end_of_day
from qihub.workcal.importer import ImportRejected, import_schedule, mark_official, parse_schedule
from qihub.workcal.models import CalendarYear
from qihub.workcal.services import load_calendar


def clock_strip(now: dt.datetime) -> dict:
    """Open clocks due today, overdue, paused; years that open clocks reach without a calendar."""
    today_ends = end_of_day(now.astimezone(TZ).date())
    open_clocks = Clock.objects.exclude(state=ClockState.STOPPED)
    counts = open_clocks.aggregate(
        due_today=Count(
            "id",
            filter=Q(state=ClockState.RUNNING, overdue_at__isnull=True, due_at__lte=today_ends),
        ),
        overdue=Count("id", filter=Q(overdue_at__isnull=False)),
        paused=Count("id", filter=Q(state=ClockState.PAUSED)),
    )
    provisional = open_clocks.filter(provisional=True).datetimes("due_at", "year", tzinfo=TZ)
    official = set(CalendarYear.objects.filter(official=True).values_list("year", flat=True))
    years = sorted({d.year for d in provisional} - official)
    return {**counts, "unconfirmed_years": years}


# Each part of the health report in words (OPS-1); the JSON at /healthz stays for machines.
HEALTH_PARTS = [
    ("database", "数据库"),
    ("cache", "缓存"),
    ("queue", "后台任务队列"),
    ("clock_sweep", "时限巡检（提醒与超时上报）"),
    ("calendar", "工作日历"),
]


def _health_rows(report: dict) -> list[dict]:
    rows = []
    for key, label in HEALTH_PARTS:
        part = report[key]
        ok = part["status"] == "ok"
        if key == "queue" and ok:
            detail = f"正常，待执行任务 {part['pending']} 个"
        elif key == "clock_sweep" and part["status"] == "late":
            detail = f"有 {part['missed']} 个时限超过到期时间仍未上报，请检查定时任务"
        elif key == "calendar" and part["status"] == "provisional":
            detail = "本年度工作日历尚未确认，时限暂按周末计算"
        elif key == "calendar" and ok:
            through = part["official_through"]
            detail = f"正常，已确认至 {through} 年" if through else "正常"
        else:
            detail = "正常" if ok else "异常，请联系系统管理员"
        rows.append({"key": key, "label": label, "ok": ok, "detail": detail})
    return rows


def _minutes_since(then: dt.datetime | None, now: dt.datetime) -> int | None:
    return None if then is None else max(0, int((now - then).total_seconds() // 60))


@role_required(*BACK_OFFICE)
def health(request: HttpRequest) -> HttpResponse:
    """系统运行监控: the health report as a page, green or red per part, with the figures behind
    it (latency, outbox, last sweep, disk, today's errors) and two charts."""
    report = health_report()
    now = timezone.now()
    box = monitoring.outbox()
    free, total = monitoring.disk_free()
    figures = {
        "latency": monitoring.database_latency_ms(),
        "pending": report["queue"].get("pending"),
        "outbox": box,
        "outbox_wait": _minutes_since(box.oldest_waiting, now),
        "last_sweep": monitoring.last_beat(monitoring.SWEEP),
        "disk_free": free,
        "disk_total": total,
        "errors_today": monitoring.errors_today(now),
        "overdue": sum(n for _, n in monitoring.overdue_by_kind()),
    }
    context = {
        "rows": _health_rows(report),
        "all_ok": report["status"] == "ok",
        "at": now,
        "figures": figures,
    }
    return render(request, "ops/health.html", context)


# A "nothing here" that fits the chart instead of filling it.
NO_DATA_STYLE = CHART_STYLE.__class__(**{**CHART_STYLE.to_dict(), "no_data_font_size": 28})


def _hourly_bar(title: str, series: str, hours: list[tuple[str, int]]) -> pygal.Bar:
    chart = pygal.Bar(
        js=[],
        no_data_text="暂无数据",
        style=CHART_STYLE,
        width=640,
        height=300,
        title=title,
        show_legend=False,
        x_labels=[label for label, _ in hours],
        x_labels_major_every=3,
        show_minor_x_labels=False,
    )
    # Whole numbers on the axis: there is no 0.3 of a request.
    top = max(max(n for _, n in hours), 1)
    chart.y_labels = list(range(0, top + 1, max(1, top // 5)))
    chart.add(series, [n for _, n in hours])
    return chart


@role_required(*BACK_OFFICE)
@csp_exempt()
def health_chart(request: HttpRequest, name: str) -> HttpResponse:
    """The health page's charts as SVG images (pygal, server-side, shown through <img>)."""
    if name == "errors":
        chart = _hourly_bar(
            "今日系统错误（按小时）",
            "错误数",
            [(f"{h}时", n) for h, n in enumerate(monitoring.errors_per_hour())],
        )
    elif name == "requests":
        chart = _hourly_bar(
            "最近 24 小时请求数（按小时）", "请求数", monitoring.requests_per_hour()
        )
    elif name == "overdue":
        kinds = monitoring.overdue_by_kind()
        chart = pygal.HorizontalBar(
            js=[],
            no_data_text="没有超时的时限",
            style=NO_DATA_STYLE,
            width=640,
            height=300,
            title="超时未办结的时限（按类型）",
            legend_at_bottom=True,
        )
        for label, n in kinds:
            chart.add(label, [n])
    else:
        return HttpResponse("图表不存在", status=404, content_type="text/plain; charset=utf-8")
    response = HttpResponse(chart.render(), content_type="image/svg+xml")
    # Shown through <img>, where scripts never run; the chart's own inline style is all it needs.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@role_required(*BACK_OFFICE)
def errors(request: HttpRequest) -> HttpResponse:
    """错误查询: an error number a user quotes → what happened; below, today's errors."""
    number = request.GET.get("number", "").strip()[:20]
    found = ServerError.objects.filter(number=number).first() if number else None
    today = ServerError.objects.filter(at__gte=monitoring.today_start())
    context = {
        "number": number,
        "found": found,
        "found_method": method_label(found.method) if found else "",
        "found_role": role_label(found.role) if found else "",
        "table": make_list(request, ServerErrorTable, today),
    }
    return render(request, "ops/errors.html", context, status=404 if number and not found else 200)


@role_required(*BACK_OFFICE)
def dashboard(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    year = now.astimezone(TZ).year
    attention = (
        Clock.objects.exclude(state=ClockState.STOPPED)
        .filter(Q(overdue_at__isnull=False) | Q(due_at__lte=end_of_day(now.astimezone(TZ).date())))
        .select_related("owner", "content_type")
        .order_by("due_at")[:50]
    )
    context = {
        "strip": clock_strip(now),
        "attention": [(clock, spec_for(clock.code)) for clock in attention],
        "today_year": year,
        "next_year": year + 1,
    }
    return render(request, "ops/dashboard.html", context)


@role_required(*BACK_OFFICE)
def calendar_year(request: HttpRequest, year: int) -> HttpResponse:
    _known_year(year)
    record = CalendarYear.objects.filter(year=year).first()
    context = {
        "year": year,
        "record": record,
        "months": year_grid(year, load_calendar()),
        "can_edit": request.user.role in DECIDERS,
        "import_form": ScheduleImportForm(initial={"year": year}),
        "official_form": MarkOfficialForm(),
    }
    return render(request, "ops/calendar_year.html", context)


@role_required(*DECIDERS)
def calendar_import(request: HttpRequest) -> HttpResponse:
    form = ScheduleImportForm(request.POST or None, request.FILES or None)
    row_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"schedule{suffix}"
            path.write_bytes(upload.read())
            try:
                rows = parse_schedule(path, data["year"])
            except ImportRejected as rejected:
                row_errors = rejected.errors
            else:
                import_schedule(
                    rows,
                    data["year"],
                    official=data["official"],
                    source_document=data["source_document"],
                    by=request.user,
                )
                messages.success(
                    request, f"已导入 {data['year']} 年 {len(rows)} 条节假日与调休记录"
                )
                return redirect("ops:calendar_year", year=data["year"])
    status = 400 if request.method == "POST" else 200
    return render(
        request, "ops/calendar_import.html", {"form": form, "row_errors": row_errors}, status=status
    )


@role_required(*DECIDERS)
def calendar_mark_official(request: HttpRequest, year: int) -> HttpResponse:
    _known_year(year)
    form = MarkOfficialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        mark_official(year, source_document=form.cleaned_data["source_document"], by=request.user)
        messages.success(request, f"{year} 年工作日历已确认为正式")
        return redirect("ops:calendar_year", year=year)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("ops:calendar_year", year=year)


@role_required(*BACK_OFFICE)
@require_POST
def test_notification(request: HttpRequest) -> HttpResponse:
    """Send oneself an urgent message on every channel: checks the queue and the gateways."""
    with transaction.atomic():
        notify(
            [request.user],
            "平台测试消息",
            "这是一条测试消息，用于检查消息发送是否正常。",
            channels=[Channel.INBOX, Channel.EMAIL],
            urgent=True,
        )
    messages.success(request, "测试消息已加入发送队列")
    return redirect("ops:dashboard")


@role_required(*BACK_OFFICE)
def clock_detail(request: HttpRequest, pk: int) -> HttpResponse:
    clock = get_object_or_404(Clock.objects.select_related("owner", "content_type"), pk=pk)
    context = {
        "clock": clock,
        "spec": spec_for(clock.code),
        "segments": clock.timeline(timezone.now()),
        "events": clock.events.select_related("by__organisation"),
    }
    return render(request, "ops/clock_detail.html", context)


# Years a working-day calendar can be kept for: beyond them there is nothing to show (and the
# date arithmetic would fail), so the page is simply not there.
CALENDAR_YEARS = range(2000, 2100)


def _known_year(year: int) -> None:
    if year not in CALENDAR_YEARS:
        raise Http404
