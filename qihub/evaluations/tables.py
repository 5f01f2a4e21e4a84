"""The evaluation lists (工作人员考核, 窗口评价, 满意度测评, 整改, 回访) as `core.lists` tables.

Figures that cost a query or two (a clock, a campaign's result) are worked out in the column's
`render_…`, so only the rows of the page shown pay for them.
"""

from typing import Any

import django_filters
import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html

from qihub.core.lists import ListTable, TemplateColumn
from qihub.evaluations import checks, workflow
from qihub.evaluations.models import (
    Rectification,
    RectificationSource,
    RectificationStatus,
    WindowCheck,
)

STAFF_ON_TIME = """{% with r=record.on_time_rate %}{% if r is not None %}{{ r }}%{% else %}—{% endif %}{% endwith %}<div class="text-muted">{% for name, c in record.on_time.items %}{{ name }} {{ c.0 }}/{{ c.1 }}{% if not forloop.last %}；{% endif %}{% endfor %}</div>"""  # noqa: E501
STAFF_STATE = """{% if record.staff.retraining_since %}<span class="badge text-bg-danger" data-testid="retraining">待复训，暂停分配</span>{% else %}<span class="badge text-bg-success">在岗</span>{% endif %}
{% if may_record %}<details><summary class="small">登记培训</summary><form method="post" action="{% url 'evaluations:training' record.staff.username %}" class="qihub-form">{% csrf_token %}{% include "form_fields.html" with form=training_form %}<button class="btn btn-outline-primary btn-sm" type="submit">登记</button></form></details>{% endif %}"""  # noqa: E501
RECORD_VISIT = """{% if record.can_record %}<form method="post" class="qihub-form">{% csrf_token %}<input type="hidden" name="visit" value="{{ record.visit.pk }}">
{% for field in result_form %}{% if field.name != "visit" %}<label class="small">{{ field.label }} {{ field }}</label>{% endif %}{% endfor %}
<button class="btn btn-sm btn-outline-primary" type="submit">登记结果</button></form>{% endif %}"""  # noqa: E501


class StaffTable(ListTable):
    """One row per `appraisal.figures` entry; sorting by the figures the page shows."""

    staff = TemplateColumn(
        '{{ record.staff.shown_name }}<div class="text-muted">'
        "{{ record.staff.get_role_display }}</div>",
        verbose_name="工作人员",
        order_by=("staff__shown_name",),
    )
    station = TemplateColumn(
        '{{ record.staff.station|default:"—" }}', verbose_name="站点", orderable=False
    )
    on_time = TemplateColumn(STAFF_ON_TIME, verbose_name="按时办结率", order_by=("on_time_rate",))
    handled = tables.Column("办理件数", accessor="handled")
    returned = TemplateColumn(
        "{{ record.returned }}{% with r=record.returned_rate %}{% if r is not None %}"
        "（{{ r }}%）{% endif %}{% endwith %}",
        verbose_name="被改派（退回率）",
        order_by=("returned",),
    )
    complaints = TemplateColumn(
        "{{ record.complaints }}（{{ record.complaints_substantiated }}）",
        verbose_name="被投诉（属实）",
        order_by=("complaints",),
    )
    evaluations = TemplateColumn(
        "{{ record.evaluations }}（{{ record.dissatisfied }}）",
        verbose_name="评价（不满意）",
        order_by=("evaluations",),
    )
    mean_overall = tables.Column("平均总体评分", default="—")
    state = TemplateColumn(STAFF_STATE, verbose_name="状态", orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "staff"}
        row_attrs = {"data-staff": lambda record: record.staff.username}
        empty_text = "暂无工作人员"


class StationTable(ListTable):
    name = tables.Column("站点", accessor="name")
    clock = tables.Column("年度内部评价时限", accessor="pk", orderable=False)
    last = tables.Column("最近一次评价", accessor="pk", orderable=False)
    check = TemplateColumn(
        '<a class="btn btn-outline-primary btn-sm" '
        "href=\"{% url 'evaluations:window_check' record.pk %}\">开展评价</a> "
        '<a class="btn btn-outline-primary btn-sm" '
        "href=\"{% url 'stations:assessment_now' record.pk %}\">年度考核</a>",
        verbose_name="操作",
        orderable=False,
    )

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "stations"}
        empty_text = "暂无站点（由平台运营人员在“服务站点与年度考核”中登记）"

    def render_clock(self, record: Any) -> Any:
        # Each station's yearly clock started with it (evaluations.receivers).
        clock = self.clock_reading(record, checks.CLOCK)
        if not clock.get("due_at"):
            return clock.get("label") or "—"
        return format_html(
            '{} <small class="text-muted">截止 {}</small>',
            clock.get("label") or "—",
            timezone.localtime(clock["due_at"]).strftime("%Y-%m-%d"),
        )

    def render_last(self, record: Any) -> str:
        last = self.per_page("last_check", _last_checks).get(record.pk)
        if last is None:
            return "尚未评价"
        return (
            f"{last.checked_on:%Y-%m-%d} {last.get_kind_display()}（不符合 {len(last.failed)} 项）"
        )


def _last_checks(stations: list[Any]) -> dict[int, Any]:
    """Each station's latest check (`station.checks.first()`), for a page of stations at once."""
    latest: dict[int, Any] = {}
    for check in WindowCheck.objects.filter(station__in=stations):  # newest first (Meta)
        latest.setdefault(check.station_id, check)
    return latest


class CampaignTable(ListTable):
    title = TemplateColumn(
        "<a href=\"{% url 'evaluations:campaign' record.pk %}\">{{ record.title }}</a>",
        verbose_name="名称",
    )
    method = tables.Column("方式", accessor="get_method_display", order_by=("method",))
    period = TemplateColumn(
        "{{ record.year }}年第{{ record.quarter }}季度",
        verbose_name="期间",
        order_by=("year", "quarter"),
    )
    subject = tables.Column("对象", orderable=False)
    responses = tables.Column("问卷数", accessor="pk", orderable=False)
    index = tables.Column("满意度指数", accessor="pk", orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "campaigns"}
        empty_text = "暂无测评活动"

    def result(self, record: Any) -> Any:
        # Two columns read the same result: worked out once for the page's campaigns together.
        return self.per_page("results", checks.campaign_results)[record.pk]

    def render_responses(self, record: Any) -> Any:
        return self.result(record)["responses"]

    def render_index(self, record: Any) -> Any:
        index = self.result(record)["index"]
        return "—" if index is None else index


class RectificationTable(ListTable):
    number = TemplateColumn(
        "<a href=\"{% url 'evaluations:rectification' record.number %}\">{{ record.number }}</a>",
        verbose_name="编号",
    )
    subject = tables.Column("整改对象", orderable=False)
    source = tables.Column("来源", accessor="get_source_display", order_by=("source",))
    problem = TemplateColumn(
        "{{ record.problem|truncatechars:60 }}", verbose_name="存在问题", orderable=False
    )
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))
    clock = tables.Column("时限", accessor="pk", orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "rectifications"}
        empty_text = "暂无整改"

    def render_clock(self, record: Any) -> str:
        clock = self.clock_reading(record, workflow.RECTIFICATION_CLOCK)
        return clock.get("label") or "—"


class RectificationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="状态", choices=RectificationStatus.choices, empty_label="全部状态"
    )
    source = django_filters.ChoiceFilter(
        label="来源", choices=RectificationSource.choices, empty_label="全部来源"
    )

    class Meta:
        model = Rectification
        fields = ["status", "source"]


class ReturnVisitTable(ListTable):
    scheduled_for = tables.DateColumn(
        "Y-m-d", verbose_name="计划日期", accessor="visit__scheduled_for"
    )
    scheduled_by = TemplateColumn(
        "{% if record.visit.scheduled_by %}{{ record.visit.scheduled_by.shown_name }}"
        "{% else %}服务办结后自动安排{% endif %}",
        verbose_name="安排人",
        orderable=False,
    )
    done_at = tables.DateTimeColumn(
        "Y-m-d H:i", verbose_name="回访时间", accessor="visit__done_at", default="—"
    )
    method = tables.Column("方式", accessor="visit__method", default="—", orderable=False)
    result = tables.Column("结果", accessor="visit__result", default="—", orderable=False)
    satisfied = TemplateColumn(
        "{% if record.visit.satisfied is None %}—{% elif record.visit.satisfied %}满意"
        "{% else %}不满意{% endif %}",
        verbose_name="满意",
        orderable=False,
    )
    record_result = TemplateColumn(RECORD_VISIT, verbose_name="操作", orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "return-visits"}
        empty_text = "尚未安排回访"


FIGURE_ON_TIME = """{% with r=record.on_time_rate counts=record.on_time_counts %}{% if r is not None %}{{ r }}%<span class="text-secondary">（{{ counts.0 }}/{{ counts.1 }} 件按时）</span>{% else %}—{% endif %}{% endwith %}"""  # noqa: E501
OPTIONAL = "{% if value is not None %}{{ value }}{% else %}—{% endif %}"


class FiguresTable(ListTable):
    """The figures per institution or station (EVAL-6), a page at a time: at 2,000 institutions
    the whole table was 359 KB (issue 23). The export and the PDF report keep every row."""

    name = tables.Column("名称", accessor="name")
    orders = tables.Column("订单", accessor="orders")
    completed = tables.Column("完成", accessor="completed")
    on_time = TemplateColumn(FIGURE_ON_TIME, verbose_name="按时办结率", orderable=False)
    index = TemplateColumn(
        "{% with value=record.index %}" + OPTIONAL + "{% endwith %}",
        verbose_name="满意度指数",
        orderable=False,
        attrs={"td": {"data-testid": "index"}},
    )
    evaluations = tables.Column("评价数", accessor="evaluations")
    dissatisfied = tables.Column("不满意", accessor="dissatisfied")
    complaints = TemplateColumn(
        "{{ record.complaints }}（{{ record.substantiated }}）",
        verbose_name="投诉（属实）",
        orderable=False,
    )
    complaint_rate = TemplateColumn(
        "{% with value=record.complaint_rate %}" + OPTIONAL + "{% endwith %}",
        verbose_name="每百单投诉",
        orderable=False,
    )
    rectifications = TemplateColumn(
        "{{ record.rectifications }}{% with c=record.closure_rate %}{% if c is not None %}"
        "（{{ c }}%）{% endif %}{% endwith %}",
        verbose_name="整改（关闭率）",
        orderable=False,
    )

    class Meta(ListTable.Meta):
        empty_text = "暂无数据"


SERVICE_LINK = (
    "{{ v.service_kind_label }} {% if v.consultation_id and not may_open_consultations %}"
    "{{ v.service_number }}{% else %}"
    '<a href="{{ v.service_url }}">{{ v.service_number }}</a>{% endif %}'
)
RECORD_DUE_VISIT = """<form method="post" class="qihub-form" data-testid="record-visit">{% csrf_token %}<input type="hidden" name="visit" value="{{ record.visit.pk }}">
{% for field in result_form %}{% if field.name != "visit" %}<label class="small d-block">{{ field.label }} {{ field }}</label>{% endif %}{% endfor %}
<button class="btn btn-sm btn-outline-primary" type="submit">登记结果</button></form>"""  # noqa: E501


class VisitDueTable(ListTable):
    """待回访 (EVAL-2): every kind of service, overdue first."""

    service = TemplateColumn(
        "{% with v=record.visit %}" + SERVICE_LINK + "{% endwith %}",
        verbose_name="服务",
        orderable=False,
    )
    client = TemplateColumn(
        "{{ record.visit.client.shown_name }}", verbose_name="客户", orderable=False
    )
    scheduled_for = TemplateColumn(
        '{{ record.visit.scheduled_for|date:"Y-m-d" }} '
        '{% if record.overdue %}<span class="badge text-bg-danger" data-testid="visit-overdue">'
        "已超期</span>{% elif record.label %}{{ record.label }}{% endif %}",
        verbose_name="计划回访日期",
        orderable=False,
    )
    scheduled_by = TemplateColumn(
        "{% if record.visit.scheduled_by %}{{ record.visit.scheduled_by.shown_name }}"
        "{% else %}服务办结后自动安排{% endif %}",
        verbose_name="安排",
        orderable=False,
    )
    record_result = TemplateColumn(RECORD_DUE_VISIT, verbose_name="登记结果", orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "visits-due"}
        row_attrs = {"data-service": lambda record: record["visit"].service_number}
        empty_text = "暂无待回访"


class VisitArchiveTable(ListTable):
    """回访记录 (EVAL-2): the feedback of every visit made, newest first."""

    service = TemplateColumn(
        "{% with v=record %}" + SERVICE_LINK + "{% endwith %}",
        verbose_name="服务",
        orderable=False,
    )
    client = TemplateColumn("{{ record.client.shown_name }}", verbose_name="客户", orderable=False)
    done_at = tables.DateTimeColumn("Y-m-d H:i", verbose_name="回访时间")
    done_by = TemplateColumn(
        "{{ record.done_by.shown_name }}", verbose_name="回访人", orderable=False
    )
    method = tables.Column("方式", orderable=False)
    result = tables.Column("回访结果", orderable=False)
    satisfied = TemplateColumn(
        "{% if record.satisfied is None %}未表态{% elif record.satisfied %}满意"
        "{% else %}不满意{% endif %}",
        verbose_name="客户满意",
    )
    problems = tables.Column("客户反映的问题", default="—", orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "visit-archive"}
        row_attrs = {"data-service": lambda record: record.service_number}
        empty_text = "暂无回访记录"
