import django_tables2 as tables

from qihub.bookings.models import Booking
from qihub.core.lists import ListTable, TemplateColumn

LINK = "<a href=\"{% url 'bookings:detail' record.number %}\">{{ record.number }}</a>"


class DayTable(ListTable):
    """A resource's day: who comes when and why, for the staff (the day view)."""

    number = TemplateColumn(LINK, verbose_name="预约编号", order_by=("number",))
    start = tables.DateTimeColumn(verbose_name="时间", format="H:i", order_by=("start",))
    user = tables.Column("预约人", accessor="user__party_name", orderable=False)
    purpose = tables.Column("事由", accessor="get_purpose_display", orderable=False)
    linked = TemplateColumn(
        "{% if record.order %}订单 {{ record.order.number }}{% elif record.demand %}"
        "需求 {{ record.demand.number }}{% else %}—{% endif %}",
        verbose_name="关联事项",
        orderable=False,
    )
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "booking-day"}
        row_attrs = {"data-booking": lambda record: record.number}
        empty_text = "当天暂无预约"


class MineTable(ListTable):
    number = TemplateColumn(LINK, verbose_name="预约编号", order_by=("number",))
    resource = tables.Column("预约地点", accessor="resource__name", orderable=False)
    start = tables.DateTimeColumn(verbose_name="时间", format="Y-m-d H:i", order_by=("start",))
    purpose = tables.Column("事由", accessor="get_purpose_display", orderable=False)
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "booking-mine"}
        row_attrs = {"data-booking": lambda record: record.number}
        empty_text = "暂无预约"


def day_rows(resource_id: int) -> object:
    return Booking.objects.filter(resource_id=resource_id).select_related("user")
