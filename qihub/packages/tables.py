import django_tables2 as tables

from qihub.core.lists import ListTable, TemplateColumn


class PackageTable(ListTable):
    number = TemplateColumn(
        "<a href=\"{% url 'packages:detail' record.number %}\">{{ record.number }}</a>",
        verbose_name="申请编号",
    )
    product = tables.Column("产品")
    client = tables.Column("申请人", accessor="client__party_name", order_by=("client__username",))
    coordinator = tables.Column(
        "协调人",
        accessor="coordinator__party_name",
        default="待受理",
        order_by=("coordinator__username",),
    )
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))
    created_at = tables.DateColumn("Y-m-d", verbose_name="申请时间")

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "packages"}
        row_attrs = {"data-number": lambda record: record.number}
        empty_text = "暂无定制服务申请"
