import django_tables2 as tables

from qihub.core.lists import ListTable, TemplateColumn


class EntrustmentTable(ListTable):
    number = TemplateColumn(
        "<a href=\"{% url 'agency:detail' record.number %}\">{{ record.number }}</a>",
        verbose_name="委托书",
    )
    client = tables.Column("委托人", accessor="client__shown_name", order_by=("client__username",))
    agent = tables.Column("受托代办人", accessor="agent__shown_name", order_by=("agent__username",))
    station = tables.Column("受托站点", accessor="station__name")
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))
    period_to = tables.DateColumn("Y-m-d", verbose_name="委托期限止")

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "entrustments"}
        row_attrs = {"data-number": lambda record: record.number}
        empty_text = "暂无代办委托"
