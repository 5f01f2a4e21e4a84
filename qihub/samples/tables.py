"""The samples list and the stations' turnaround statistics, as `core.lists` tables."""

import django_filters
import django_tables2 as tables

from qihub.core.lists import ListTable, TemplateColumn
from qihub.samples.models import Sample, SampleStatus


class SampleTable(ListTable):
    code = TemplateColumn(
        "<a href=\"{% url 'samples:detail' record.code %}\">{{ record.code }}</a>",
        verbose_name="样品编号",
        order_by=("code",),
    )
    name = tables.Column("样品", accessor="name")
    quantity = tables.Column("数量", accessor="quantity")
    order = TemplateColumn(
        "<a href=\"{% url 'orders:detail' record.order.number %}\">{{ record.order.number }}</a>",
        verbose_name="订单",
        order_by=("order__number",),
    )
    institution = tables.Column("检测机构", accessor="order__institution__name")
    station = tables.Column("送样站点", accessor="station__name")
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))
    registered_at = tables.DateTimeColumn("Y-m-d H:i", verbose_name="登记时间")

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "samples"}
        row_attrs = {"data-code": lambda record: record.code}
        empty_text = "暂无样品"


class SampleFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(label="样品编号", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(
        label="状态", choices=SampleStatus.choices, empty_label="全部状态"
    )

    class Meta:
        model = Sample
        fields = ["code", "status"]


class StationStatsTable(ListTable):
    station = tables.Column("站点", accessor="station")
    total = tables.Column("收样数", accessor="total")
    handed_out = tables.Column("已发放报告", accessor="handed_out")
    dispatch = tables.Column("收样至交付转运（平均）", accessor="dispatch", orderable=False)
    arrival = tables.Column("转运至机构接收（平均）", accessor="arrival", orderable=False)
    report = tables.Column("接收至出具报告（平均）", accessor="report", orderable=False)
    handout = tables.Column("报告至站点发放（平均）", accessor="handout", orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "station-stats"}
        empty_text = "暂无站点统计"
