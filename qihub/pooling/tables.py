import django_tables2 as tables

from qihub.core.lists import ListTable, TemplateColumn


class BatchTable(ListTable):
    number = TemplateColumn(
        "<a href=\"{% url 'pooling:detail' record.number %}\">{{ record.number }}</a>",
        verbose_name="批次",
    )
    title = tables.Column("批次名称")
    institution = tables.Column("承接机构", accessor="institution__name")
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))
    created_at = tables.DateTimeColumn("Y-m-d", verbose_name="打包时间")

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "batches"}
        row_attrs = {"data-number": lambda record: record.number}
        empty_text = "暂无打包批次"
