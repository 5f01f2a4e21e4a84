"""The orders list (我的订单 / 收到的订单 / 订单进度) as a `core.lists` table with its filter."""

import django_filters
import django_tables2 as tables

from qihub.core.lists import ListTable, TemplateColumn
from qihub.orders.models import Order, OrderStatus

NEXT_STEP = """{% if record.status == "placed" %}待机构确认{% elif record.status == "quoted" %}待下单人确认报价{% elif record.status == "accepted" %}服务中，出具报告后完成{% elif record.status == "completed" %}{% if record.evaluation %}已评价{% else %}待评价{% endif %}{% else %}—{% endif %}"""  # noqa: E501


class OrderTable(ListTable):
    number = TemplateColumn(
        "<a href=\"{% url 'orders:detail' record.number %}\">{{ record.number }}</a>",
        verbose_name="订单",
        order_by=("number",),
    )
    service = TemplateColumn(
        '{% if record.urgent %}<span class="badge text-bg-danger me-1" data-testid="urgent-badge"'
        ' title="{{ record.urgent_reason }}">加急</span>{% endif %}{{ record.service.name }}',
        verbose_name="服务",
        order_by=("service__name",),
    )
    institution = tables.Column("机构", accessor="institution__name")
    client = TemplateColumn(
        "{{ record.client.party_name }}",
        verbose_name="下单人",
        order_by=("client__display_name", "client__username"),
    )
    price = tables.Column("价格", accessor="price_label", order_by=("free", "price"))
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))
    due_at = tables.DateColumn("Y-m-d", verbose_name="约定完成", default="—")
    next_step = TemplateColumn(NEXT_STEP, verbose_name="下一步", orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "orders"}
        row_attrs = {
            "data-number": lambda record: record.number,
            "data-urgent": lambda record: "1" if record.urgent else "0",
        }
        empty_text = "暂无订单"


class OrderFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(label="订单编号", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(
        label="状态", choices=OrderStatus.choices, empty_label="全部状态"
    )

    class Meta:
        model = Order
        fields = ["number", "status"]
