"""Statistics pages (EVAL-6): the public page, the supervisor's dashboard with charts, Excel
exports of every table and the quarterly report as PDF."""

import base64

import pygal
from csp.decorators import csp_exempt
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from pygal.style import Style

from qihub.accounts.permissions import role_required
from qihub.accounts.roles import BACK_OFFICE
from qihub.core.exports import xlsx_response
from qihub.core.lists import make_list
from qihub.evaluations import forms, satisfaction, statistics
from qihub.evaluations.models import Method
from qihub.evaluations.tables import FiguresTable
from qihub.evaluations.workflow import EVALUATION_FLOW

NO_DATA = "暂无数据"
COLUMNS = [
    "名称",
    "需求数",
    "订单数",
    "完成订单",
    "按时办结率(%)",
    "满意度指数(综合)",
    "用户评价指数",
    "自我评价指数",
    "第三方评价指数",
    "评价数",
    "不满意",
    "投诉数",
    "投诉属实",
    "每百单投诉",
    "整改数",
    "整改关闭率(%)",
]
CHART_STYLE = Style(
    font_family="'Noto Sans CJK SC', 'Noto Sans SC', sans-serif",
    background="white",
    plot_background="white",
    colors=("#0d6efd", "#198754", "#fd7e14", "#6f42c1"),
)


def _row(f: statistics.Figures) -> list:
    return [
        f.name,
        f.demands,
        f.orders,
        f.completed,
        f.on_time_rate(),
        f.index(),
        f.by_method.get(Method.USER),
        f.by_method.get(Method.SELF),
        f.by_method.get(Method.THIRD_PARTY),
        f.evaluations,
        f.dissatisfied,
        f.complaints,
        f.substantiated,
        f.complaint_rate(),
        f.rectifications,
        f.closure_rate(),
    ]


def _period(request: HttpRequest) -> statistics.Period:
    try:
        return statistics.parse_period(request.GET.get("year"), request.GET.get("quarter"))
    except statistics.PeriodError as exc:
        messages.error(request, str(exc))
        return statistics.parse_period(None, None)


def _context(
    period: statistics.Period, *, public: bool, request: HttpRequest | None = None
) -> dict:
    served = statistics.served_many(period, ["platform", "institution", "station"])
    platform = served[0].figures[0]
    institutions, stations = served[1].figures, served[2].figures
    if public:
        institutions, stations = statistics.public(institutions), statistics.public(stations)
    tables = {}
    if request is not None:  # pages show a page of rows; exports and the report show them all
        tables = {
            "institutions_table": make_list(
                request, FiguresTable, institutions, prefix="i-", empty_text="暂无机构数据"
            ),
            "stations_table": make_list(
                request, FiguresTable, stations, prefix="s-", empty_text="暂无站点数据"
            ),
        }
    return {
        **tables,
        "period": period,
        "platform": platform,
        "platform_rows": [platform],
        "institutions": institutions,
        "stations": stations,
        "on_time": sorted(platform.on_time.items()),
        # Read only when the page body is drawn, not for each visit the kept body serves.
        "rechecks": SimpleLazyObject(lambda: statistics.published_rechecks(period)),
        "indicators": [(i, platform.tally.means().get(i.code)) for i in satisfaction.MODEL],
        "query": f"year={period.year}&quarter={period.quarter or ''}",
        "years": range(period.year - 3, period.year + 1),
        # Which computation the figures come from: while one visitor recomputes them the others
        # are served the previous ones, and what is drawn from them is cached under this.
        "figures_version": "-".join(s.version for s in served),
    }


def public(request: HttpRequest) -> HttpResponse:
    """Open to everyone: no personal data, and groups under the minimum count are not shown."""
    period = _period(request)
    context = _context(period, public=True, request=request)
    context["min_group"] = settings.QIHUB_STATS_MIN_GROUP
    # Vary on what the page shows, not the raw query string: junk parameters must not each
    # fill the cache with a copy of the page.
    tables = (context["institutions_table"], context["stations_table"])
    context["fragment_key"] = ":".join(
        [context["figures_version"], str(period.year), str(period.quarter)]
        + [f"{t.page.number if t.page else 0}-{','.join(t.order_by or ())}" for t in tables]
    )
    return render(request, "evaluations/statistics_public.html", context)


# The file people download names the table in Chinese, not the query's code.
EXPORT_NAMES = {"platform": "全平台", "institutions": "各机构", "stations": "各服务站"}


@role_required(*BACK_OFFICE)
def dashboard(request: HttpRequest) -> HttpResponse:
    period = _period(request)
    context = _context(period, public=False, request=request)
    export = request.GET.get("export")
    if export in EXPORT_NAMES:
        rows = [context["platform"]] if export == "platform" else context[export]
        return xlsx_response(
            f"{EXPORT_NAMES[export]}服务统计-{period.label}.xlsx",
            period.label,
            COLUMNS,
            [_row(f) for f in rows],
        )
    dissatisfied = statistics.dissatisfied(period)
    if export == "dissatisfied":
        headers = ["订单", "机构", "总体", "评价意见", "评价时间", "原因分析"]
        return xlsx_response(
            f"不满意评价分析-{period.label}.xlsx",
            "不满意评价",
            headers,
            [
                [e.order.number, e.order.institution.name, e.overall, e.comment, e.at, e.analysis]
                for e in dissatisfied
            ],
        )
    if export == "on-time":
        return xlsx_response(
            f"按时办结-{period.label}.xlsx",
            "按时办结",
            ["时限", "按时", "应办结", "按时办结率(%)"],
            [
                [name, ok, n, round(100 * ok / n, 1) if n else None]
                for name, (ok, n) in context["on_time"]
            ],
        )
    context.update(
        dissatisfied=dissatisfied,
        analysis_form=forms.AnalysisForm(),
        may_analyse=EVALUATION_FLOW.permits(request.user, None, "analyse"),
    )
    return render(request, "evaluations/statistics_dashboard.html", context)


def _chart_svg(
    name: str,
    period: statistics.Period,
    platform: statistics.Figures | None = None,
    quarters: list[statistics.Figures] | None = None,
) -> bytes:
    """`quarters`: the platform figures of each quarter of the year, for the quarters chart."""
    if name != "quarters":
        platform = platform or statistics.figures(period)[0]
    if name == "on-time":
        chart = pygal.HorizontalBar(
            js=[],
            no_data_text=NO_DATA,
            style=CHART_STYLE,
            width=640,
            height=320,
            range=(0, 100),
            title=f"按时办结率（%）· {period.label}",
            legend_at_bottom=True,
        )
        for clock, (ok, n) in sorted(platform.on_time.items()):
            chart.add(clock, [round(100 * ok / n, 1) if n else 0])
    elif name == "indicators":
        chart = pygal.Bar(
            js=[],
            no_data_text=NO_DATA,
            style=CHART_STYLE,
            width=640,
            height=320,
            range=(0, 5),
            title=f"各指标平均得分（1–5）· {period.label}",
            show_legend=False,
        )
        means = platform.tally.means()
        chart.x_labels = [i.name for i in satisfaction.MODEL]
        chart.add(
            "平均得分",
            [round(means[i.code], 2) if i.code in means else None for i in satisfaction.MODEL],
        )
    else:
        chart = pygal.Line(
            js=[],
            no_data_text=NO_DATA,
            style=CHART_STYLE,
            width=640,
            height=320,
            range=(0, 100),
            title=f"{period.year}年各季度满意度指数",
            show_legend=False,
        )
        chart.x_labels = [f"第{q}季度" for q in range(1, 5)]
        chart.add(
            "满意度指数",
            [
                figures.index()
                for figures in quarters
                or [statistics.figures(statistics.Period(period.year, q))[0] for q in range(1, 5)]
            ],
        )
    return chart.render()


@csp_exempt()
def chart(request: HttpRequest, name: str) -> HttpResponse:
    """Platform-level charts as SVG images (pygal, server-side): nothing identifies a person."""
    if name not in ("on-time", "indicators", "quarters"):
        return HttpResponse("图表不存在", status=404, content_type="text/plain; charset=utf-8")
    period = _period(request)
    periods = [period]
    if name == "quarters":  # drawn from the figures of each quarter of the year
        periods = [statistics.Period(period.year, q) for q in range(1, 5)]
    svg = statistics.cached(
        f"chart-{name}",
        periods,
        lambda platforms: (
            _chart_svg(name, period, quarters=platforms)
            if name == "quarters"
            else _chart_svg(name, period, platforms[0])
        ),
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    # Shown through <img>, where scripts never run; the chart's own inline style is all it needs.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@role_required(*BACK_OFFICE)
def report_pdf(request: HttpRequest) -> HttpResponse:
    """The quarterly (or yearly) report, rendered by WeasyPrint with the CJK font embedded."""
    from weasyprint import HTML

    period = _period(request)
    context = _context(period, public=False)
    context["dissatisfied"] = statistics.dissatisfied(period)
    context["charts"] = {
        name: "data:image/svg+xml;base64,"
        + base64.b64encode(_chart_svg(name, period, context["platform"])).decode()
        for name in ("on-time", "indicators")
    }
    html = render_to_string("evaluations/statistics_report.html", context)
    pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f"inline; filename*=UTF-8''report-{period.year}-{period.quarter or 'year'}.pdf"
    )
    return response
