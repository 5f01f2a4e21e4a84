"""The orders list (我的订单 / 收到的订单 / 订单进度) as a `core.lists` table with its filter."""

import django_filters
import django_tables2 as tables
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

from qihub.core.lists import FunctionColumn, ListTable
from qihub.demands.tables import urgent_badge
from qihub.orders.models import Order, OrderStatus

# The "下一步" column's words by status; a completed order's depend on its evaluation.
NEXT_STEP = {
    "placed": "待机构确认",
    "quoted": "待下单人确认报价",
    "accepted": "服务中，出具报告后完成",
}


# The cells of this hot list are drawn in Python (`FunctionColumn`, docs/ui.md): as template
# columns each cell built a template context, ~50 µs a cell (issue 23, bench/README.md).
def _number(order: Order) -> SafeString:
    return format_html(
        '<a href="{}">{}</a>', reverse("orders:detail", args=[order.number]), order.number
    )


def _service(order: Order) -> SafeString:
    return format_html("{}{}", urgent_badge(order), order.service.name)


def _client(order: Order) -> str:
    return conditional_escape(order.client.party_name)


def _next_step(order: Order) -> str:
    if order.status == "completed":
        return "已评价" if getattr(order, "evaluation", None) else "待评价"
    return NEXT_STEP.get(order.status, "—")


class OrderTable(ListTable):
    number = FunctionColumn(_number, verbose_name="订单", order_by=("number",))
    service = FunctionColumn(_service, verbose_name="服务", order_by=("service__name",))
    institution = tables.Column("机构", accessor="institution__name")
    client = FunctionColumn(
        _client, verbose_name="下单人", order_by=("client__display_name", "client__username")
    )
    price = tables.Column("价格", accessor="price_label", order_by=("free", "price"))
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))
    due_at = tables.DateColumn("Y-m-d", verbose_name="约定完成", default="—")
    next_step = FunctionColumn(_next_step, verbose_name="下一步", orderable=False)

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
