"""The demand lists (我的需求, 需求响应与推荐, 收到的需求, 走访企业记录) as `core.lists` tables.

The first two show rows of `queries.queue_rows` (a demand with its clocks), so their accessors
start with `demand__`.
"""

import django_filters
import django_tables2 as tables
from django.db.models import Q, QuerySet

from qihub.catalog.models import Category
from qihub.core.lists import ListTable, RegionFilter, TemplateColumn
from qihub.demands.models import Channel, Demand, DemandStatus, Visit

NUMBER_LINK = (
    "<a href=\"{% url 'demands:detail' record.demand.number %}\">{{ record.demand.number }}</a>"  # noqa: E501
)
# The green channel's badge (DEM-14) beside the title, in every list of demands.
URGENT = '{% if d.urgent %}<span class="badge text-bg-danger me-1" data-testid="urgent-badge" title="{{ d.urgent_reason }}">加急</span>{% endif %}'  # noqa: E501
TITLE = "{% with d=record.demand %}" + URGENT + "{{ d.title }}{% endwith %}"
CLOCKS = '{% include "demands/_clocks.html" with clocks=record.clocks %}'
MY_NEXT_STEP = """{% with d=record.demand %}{% if d.status == "recommended" %}查看推荐机构并联系或下单{% elif d.status == "referred" %}查看平台外机构反馈{% elif d.status == "in_service" %}查看由本需求下的订单{% elif d.is_open %}等待平台处理{% else %}—{% endif %}{% endwith %}"""  # noqa: E501


class MyDemandTable(ListTable):
    number = TemplateColumn(NUMBER_LINK, verbose_name="编号", order_by=("demand__number",))
    title = TemplateColumn(TITLE, verbose_name="需求", order_by=("demand__title",))
    status = tables.Column(
        "状态", accessor="demand__get_status_display", order_by=("demand__status",)
    )
    clocks = TemplateColumn(CLOCKS, verbose_name="时限", orderable=False)
    next_step = TemplateColumn(MY_NEXT_STEP, verbose_name="下一步", orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "my-demands"}
        empty_text = "还没有发布需求"


class QueueTable(ListTable):
    number = TemplateColumn(NUMBER_LINK, verbose_name="编号", order_by=("demand__number",))
    title = TemplateColumn(TITLE, verbose_name="需求", order_by=("demand__title",))
    client = TemplateColumn(
        "{% if record.demand.client %}{{ record.demand.client.shown_name }}"
        "{% elif record.demand.caller %}{{ record.demand.caller.name_masked }}（无账户）{% endif %}",
        verbose_name="提出人",
        orderable=False,
    )
    region = TemplateColumn(
        "{% load regions %}{{ record.demand.region|region_name }}",
        verbose_name="地区",
        order_by=("demand__region",),
    )
    channel = tables.Column(
        "来源", accessor="demand__get_channel_display", order_by=("demand__channel",)
    )
    status = tables.Column(
        "状态", accessor="demand__get_status_display", order_by=("demand__status",)
    )
    responsible = TemplateColumn(
        "{% with r=record.demand.responsible %}{% if r %}{{ r.shown_name }}"
        "{% else %}—{% endif %}{% endwith %}",
        verbose_name="第一受理人",
        orderable=False,
    )
    clocks = TemplateColumn(CLOCKS, verbose_name="时限", orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "demand-queue"}
        row_attrs = {
            "data-number": lambda record: record["demand"].number,
            "data-urgent": lambda record: "1" if record["demand"].urgent else "0",
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
    number = TemplateColumn(
        "<a href=\"{% url 'demands:detail' record.number %}\">{{ record.number }}</a>",
        verbose_name="编号",
    )
    title = TemplateColumn(
        "{% with d=record %}" + URGENT + "{{ d.title }}{% endwith %}", verbose_name="需求"
    )
    category = tables.Column("类别", accessor="get_category_display", order_by=("category",))
    region = TemplateColumn(
        "{% load regions %}{{ record.region|region_name }}", verbose_name="地区"
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

    number = TemplateColumn(NUMBER_LINK, verbose_name="编号", orderable=False)
    title = TemplateColumn(TITLE, verbose_name="需求", orderable=False)
    client = TemplateColumn(
        "{% if record.demand.client %}{{ record.demand.client.shown_name }}"
        "{% elif record.demand.caller %}{{ record.demand.caller.name_masked }}（无账户）{% endif %}",
        verbose_name="提出人",
        orderable=False,
    )
    responsible = TemplateColumn(
        "{% with r=record.demand.responsible %}{% if r %}{{ r.shown_name }}"
        "{% else %}—{% endif %}{% endwith %}",
        verbose_name="第一受理人",
        orderable=False,
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
