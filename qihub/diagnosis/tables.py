import django_filters
import django_tables2 as tables

from qihub.core.lists import ListTable, RegionFilter, TemplateColumn
from qihub.diagnosis.models import (
    ProblemStatus,
    Risk,
    ShowcaseEntry,
    ShowcaseKind,
    ShowcaseStatus,
    Visit,
    VisitKind,
)


class VisitTable(ListTable):
    number = TemplateColumn(
        "<a href=\"{% url 'diagnosis:visit' record.number %}\">{{ record.number }}</a>",
        verbose_name="诊断编号",
        order_by=("number",),
    )
    enterprise = tables.Column("企业", accessor="enterprise__name", order_by=("enterprise__name",))
    visited_on = tables.DateColumn("Y-m-d", verbose_name="诊断日期")
    kind = tables.Column("诊断类型", accessor="get_kind_display", order_by=("kind",))
    open_problems = tables.Column("待跟进问题", orderable=False, empty_values=())

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "visits"}
        row_attrs = {"data-visit": lambda record: record.number}
        empty_text = "暂无质量诊断记录"

    def render_open_problems(self, record: Visit) -> int:
        return sum(1 for p in record.problems.all() if p.is_open)


class VisitFilter(django_filters.FilterSet):
    enterprise = django_filters.CharFilter(
        label="企业名称", field_name="enterprise__name", lookup_expr="icontains"
    )
    kind = django_filters.ChoiceFilter(
        label="诊断类型", choices=VisitKind.choices, empty_label="全部类型"
    )
    region = RegionFilter(label="企业所在地区", field_name="enterprise__region")
    problem_status = django_filters.ChoiceFilter(
        label="问题状态",
        field_name="problems__status",
        choices=ProblemStatus.choices,
        empty_label="全部",
        distinct=True,
    )

    class Meta:
        model = Visit
        fields = ["enterprise", "kind", "region", "problem_status"]


class RiskTable(ListTable):
    enterprise = TemplateColumn(
        "<a href=\"{% url 'diagnosis:results_of' record.enterprise_id %}\">"
        "{{ record.enterprise.name }}</a>",
        verbose_name="企业",
        order_by=("enterprise__name",),
    )
    product = tables.Column("产品")
    parameter = tables.Column("检测参数")
    failures = tables.Column("12 个月内不合格次数")
    last_failed_on = tables.DateColumn("Y-m-d", verbose_name="最近不合格")

    class Meta(ListTable.Meta):
        model = Risk
        fields = ["enterprise", "product", "parameter", "failures", "last_failed_on"]
        attrs = {**ListTable.Meta.attrs, "data-testid": "risks"}
        empty_text = "暂无重复不合格风险"


class ShowcaseTable(ListTable):
    title = TemplateColumn(
        "<a href=\"{% url 'diagnosis:showcase_entry' record.pk %}\">{{ record.title }}</a>",
        verbose_name="标题",
        order_by=("title",),
    )
    kind = tables.Column("类别", accessor="get_kind_display", order_by=("kind",))
    enterprise = tables.Column("企业", accessor="enterprise__name", order_by=("enterprise__name",))
    year = tables.Column("年度")
    honours = tables.Column("所获荣誉", orderable=False, default="—")

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "showcase"}
        row_attrs = {"data-entry": lambda record: record.pk}
        empty_text = "暂无企业风采"


class ManagedShowcaseTable(ShowcaseTable):
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))

    class Meta(ShowcaseTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "showcase-managed"}
        empty_text = "还没有提议展示的企业风采"


class ShowcaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键词", field_name="title", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(
        label="类别", choices=ShowcaseKind.choices, empty_label="全部类别"
    )
    year = django_filters.NumberFilter(
        label="年度", error_messages={"invalid": "年度：应为四位年份"}
    )
    region = RegionFilter(label="企业所在地区", field_name="enterprise__region")

    class Meta:
        model = ShowcaseEntry
        fields = ["q", "kind", "year", "region"]


class ManagedShowcaseFilter(ShowcaseFilter):
    status = django_filters.ChoiceFilter(
        label="状态", choices=ShowcaseStatus.choices, empty_label="全部状态"
    )

    class Meta(ShowcaseFilter.Meta):
        fields = [*ShowcaseFilter.Meta.fields, "status"]
