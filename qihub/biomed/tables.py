"""The archive lists, on the one list building block (`qihub.core.lists`)."""

import django_filters
import django_tables2 as tables

from qihub.biomed.models import ProductArchive, ProductClass, ReviewStatus, Stage
from qihub.core.lists import ListTable, TemplateColumn

NUMBER = "<a href=\"{% url 'biomed:archive' record.number %}\">{{ record.number }}</a>"


class ArchiveTable(ListTable):
    number = TemplateColumn(NUMBER, verbose_name="档案编号", order_by=("number",))
    name = tables.Column("产品名称")
    enterprise = tables.Column("企业", accessor="enterprise__party_name", orderable=False)
    product_class = tables.Column(
        "产品类别", accessor="get_product_class_display", order_by=("product_class",)
    )
    stage = tables.Column("当前阶段", accessor="get_stage_display", order_by=("stage",))
    review_status = tables.Column(
        "资料预审", accessor="get_review_status_display", order_by=("review_status",)
    )
    handler = tables.Column("服务专员", accessor="handler__party_name", default="未指定")

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "archives"}
        row_attrs = {"data-archive": lambda record: record.number}
        empty_text = "暂无产品档案"


class ArchiveFilter(django_filters.FilterSet):
    product_class = django_filters.ChoiceFilter(
        label="产品类别", choices=ProductClass.choices, empty_label="全部类别"
    )
    stage = django_filters.ChoiceFilter(label="阶段", choices=Stage.choices, empty_label="全部")
    review_status = django_filters.ChoiceFilter(
        label="资料预审", choices=ReviewStatus.choices, empty_label="全部"
    )
    name = django_filters.CharFilter(label="产品名称", lookup_expr="icontains")

    class Meta:
        model = ProductArchive
        fields = ["product_class", "stage", "review_status", "name"]


class OverdueTable(ListTable):
    """Archives whose two-week follow-up has lapsed, the longest overdue first."""

    number = TemplateColumn(NUMBER, verbose_name="档案编号", orderable=False)
    name = tables.Column("产品名称", orderable=False)
    enterprise = tables.Column("企业", accessor="enterprise__party_name", orderable=False)
    stage = tables.Column("当前阶段", accessor="get_stage_display", orderable=False)
    handler = tables.Column(
        "服务专员", accessor="handler__party_name", default="未指定", orderable=False
    )
    due = tables.DateColumn(
        "Y-m-d", verbose_name="应跟踪日期", accessor="follow_up_due", orderable=False
    )
    days = TemplateColumn(
        '<span class="text-danger fw-bold">{{ record.days_overdue }} 天</span>',
        verbose_name="已超期",
        orderable=False,
    )

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "overdue"}
        row_attrs = {"data-archive": lambda record: record.number}
        empty_text = "没有超期未跟踪的产品档案"
