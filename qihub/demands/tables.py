"""The demand lists (我的需求, 需求响应与推荐, 收到的需求, 走访企业记录) as `core.lists` tables.

The first two read their page's clocks together (`deadlines.queries.clocks_of_each`).
"""

from typing import Any

import django_filters
import django_tables2 as tables
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from qihub.catalog.models import Category
from qihub.core.lists import FunctionColumn, ListTable, RegionFilter, TemplateColumn
from qihub.core.templatetags.regions import region_name
from qihub.deadlines.display import clock_badges
from qihub.deadlines.queries import clocks_of_each
from qihub.demands.models import Channel, Demand, DemandStatus, Visit


# The cells of the hot lists (我的需求, 需求队列) and their siblings are drawn in Python
# (`FunctionColumn`, docs/ui.md): as template columns each cell built a template context,
# ~50 µs a cell (issue 23, bench/README.md). The third's records are
# `followup.due_rows` rows (a dict with the demand and its follow-up point).
def urgent_badge(subject: Any) -> SafeString:
    """The green channel's badge (DEM-14) before a title, with its reason on hover; in every
    list of demands and orders."""
    if not subject.urgent:
        return SafeString("")
    return format_html(
        '<span class="badge text-bg-danger me-1" data-testid="urgent-badge" title="{}">加急</span>',
        subject.urgent_reason,
    )


def demand_link(demand: Demand) -> SafeString:
    return format_html(
        '<a href="{}">{}</a>', reverse("demands:detail", args=[demand.number]), demand.number
    )


def demand_title(demand: Demand) -> SafeString:
    return format_html("{}{}", urgent_badge(demand), demand.title)


def _proposer(demand: Demand) -> SafeString:
    if demand.client:
        return conditional_escape(demand.client.shown_name)
    if demand.caller:
        return format_html("{}（无账户）", demand.caller.name_masked)
    return SafeString("")


def _responsible(demand: Demand) -> str:
    return conditional_escape(demand.responsible.shown_name) if demand.responsible else "—"


def _my_next_step(demand: Demand) -> str:
    if demand.status == "recommended":
        return "查看推荐机构并联系或下单"
    if demand.status == "referred":
        return "查看平台外机构反馈"
    if demand.status == "in_service":
        return "查看由本需求下的订单"
    return "等待平台处理" if demand.is_open() else "—"


def _render_clocks(table: ListTable, record: Demand) -> SafeString:
    """A 时限 cell: the page's open clocks are read in one query. (A method of each table rather
    than of a shared base: `test_row_renderer` refuses a table class no page draws.)"""
    readings = table.per_page(
        "clocks", lambda page: clocks_of_each(page, timezone.now(), running=True)
    )
    # The list cell is the `{% include %}` of demands/_clocks.html it replaces, newline included.
    return clock_badges(readings.get(record.pk)) + SafeString("\n")


class MyDemandTable(ListTable):
    number = FunctionColumn(demand_link, verbose_name="编号", order_by=("number",))
    title = FunctionColumn(demand_title, verbose_name="需求", order_by=("title",))
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))
    clocks = tables.Column("时限", empty_values=(), orderable=False)
    render_clocks = _render_clocks
    next_step = FunctionColumn(_my_next_step, verbose_name="下一步", orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "my-demands"}
        empty_text = "还没有发布需求"


class QueueTable(ListTable):
    number = FunctionColumn(demand_link, verbose_name="编号", order_by=("number",))
    title = FunctionColumn(demand_title, verbose_name="需求", order_by=("title",))
    client = FunctionColumn(_proposer, verbose_name="提出人", orderable=False)
    region = FunctionColumn(
        lambda demand: conditional_escape(region_name(demand.region)),
        verbose_name="地区",
        order_by=("region",),
    )
    channel = tables.Column("来源", accessor="get_channel_display", order_by=("channel",))
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))
    responsible = FunctionColumn(_responsible, verbose_name="第一受理人", orderable=False)
    clocks = tables.Column("时限", empty_values=(), orderable=False)
    render_clocks = _render_clocks

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "demand-queue"}
        row_attrs = {
            "data-number": lambda record: record.number,
            "data-urgent": lambda record: "1" if record.urgent else "0",
        }
        empty_text = "没有待处理的需求"


class QueueFilter(django_filters.FilterSet):
    keyword = django_filters.CharFilter(label="编号或需求", method="by_keyword")
    status = django_filters.ChoiceFilter(
        label="状态", choices=DemandStatus.choices, empty_label="全部状态"
    )
    channel = django_filters.ChoiceFilter(
        label="来源", choices=Channel.choices, empty_label="全部来源"
    )
    region = RegionFilter(field_name="region")

    class Meta:
        model = Demand
        fields = ["keyword", "status", "channel", "region"]

    def by_keyword(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value))


class InstitutionDemandTable(ListTable):
    number = FunctionColumn(demand_link, verbose_name="编号")
    title = FunctionColumn(demand_title, verbose_name="需求")
    category = tables.Column("类别", accessor="get_category_display", order_by=("category",))
    region = FunctionColumn(
        lambda demand: conditional_escape(region_name(demand.region)), verbose_name="地区"
    )
    recommended_at = tables.DateTimeColumn("Y-m-d H:i", verbose_name="推荐时间")

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "institution-demands"}
        empty_text = "暂无平台推荐给本机构的需求"


class InstitutionDemandFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(
        label="类别", choices=Category.choices, empty_label="全部类别"
    )
    region = RegionFilter(field_name="region")

    class Meta:
        model = Demand
        fields = ["category", "region"]


class VisitTable(ListTable):
    visited_on = tables.DateColumn("Y-m-d", verbose_name="日期")
    enterprise_name = tables.Column("企业")
    station_staff = TemplateColumn(
        "{{ record.station_staff.shown_name }}",
        verbose_name="站点人员",
        orderable=False,
    )
    summary = TemplateColumn(
        "{{ record.summary|truncatechars:60 }}", verbose_name="情况", orderable=False
    )
    demands = TemplateColumn(
        "{% for d in record.demands.all %}<a href=\"{% url 'demands:detail' d.number %}\">"
        "{{ d.number }}</a> {% empty %}—{% endfor %}",
        verbose_name="收集的需求",
        orderable=False,
    )
    publish = TemplateColumn(
        "<a href=\"{% url 'demands:staff_publish' %}?visit={{ record.pk }}\">录入需求</a>",
        verbose_name="操作",
        orderable=False,
    )

    class Meta(ListTable.Meta):
        model = Visit
        fields = ()
        attrs = {**ListTable.Meta.attrs, "data-testid": "visits"}
        empty_text = "暂无走访记录"


FOLLOW_UP_DUE = (
    '{{ record.due_at|date:"Y-m-d" }} '
    '{% if record.overdue %}<span class="badge text-bg-danger" data-testid="follow-up-overdue">'
    "已超期</span>{% else %}{{ record.label }}{% endif %}"
)


class FollowUpTable(ListTable):
    """待跟进 (DEM-7): demands in service with their next follow-up point."""

    number = FunctionColumn(
        lambda row: demand_link(row["demand"]), verbose_name="编号", orderable=False
    )
    title = FunctionColumn(
        lambda row: demand_title(row["demand"]), verbose_name="需求", orderable=False
    )
    client = FunctionColumn(
        lambda row: _proposer(row["demand"]), verbose_name="提出人", orderable=False
    )
    responsible = FunctionColumn(
        lambda row: _responsible(row["demand"]), verbose_name="第一受理人", orderable=False
    )
    due = TemplateColumn(FOLLOW_UP_DUE, verbose_name="应跟进日期", orderable=False)
    last = TemplateColumn(
        '{% if record.last %}{{ record.last.at|date:"Y-m-d" }} '
        "{{ record.last.get_kind_display }}{% else %}—{% endif %}",
        verbose_name="最近一次记录",
        orderable=False,
    )
    action = TemplateColumn(
        '<a class="btn btn-sm btn-outline-primary" href="{% url \'demands:detail\' '
        'record.demand.number %}#contact">登记跟踪回访</a>',
        verbose_name="操作",
        orderable=False,
    )

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "follow-ups"}
        row_attrs = {"data-number": lambda record: record["demand"].number}
        empty_text = "暂无待跟进的需求"
