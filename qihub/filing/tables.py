import django_tables2 as tables

from qihub.core.lists import ListTable, TemplateColumn


class CatalogueTable(ListTable):
    serial = tables.Column("件号")
    number = TemplateColumn(
        "<a href=\"{% url 'filing:item' record.number %}\">{{ record.number }}</a>",
        verbose_name="档号",
        order_by=("number",),
    )
    title = tables.Column("题名")
    kind = tables.Column("类别", accessor="get_kind_display", order_by=("kind",))
    case_number = tables.Column("业务编号")
    closed_at = tables.DateColumn("Y-m-d", verbose_name="办结日期")
    status = tables.Column("处置状态", accessor="get_status_display", order_by=("status",))

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "catalogue"}
        row_attrs = {"data-number": lambda record: record.number}
        empty_text = "暂无归档文件"


class DueTable(ListTable):
    number = TemplateColumn(
        "<a href=\"{% url 'filing:item' record.number %}\">{{ record.number }}</a>",
        verbose_name="档号",
        order_by=("number",),
    )
    title = tables.Column("题名")
    retention = tables.Column("保管期限", accessor="get_retention_display", order_by=("retention",))
    keep_until = tables.DateColumn("Y-m-d", verbose_name="保管到期")
    status = tables.Column("处置状态", accessor="get_status_display", order_by=("status",))

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "due"}
        row_attrs = {"data-number": lambda record: record.number}
        empty_text = "暂无到期待鉴定的文件"
