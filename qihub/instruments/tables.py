"""Instrument lists (INS-1), as `core.lists` tables."""

import django_filters
import django_tables2 as tables
from django.db.models import QuerySet

from qihub.core.lists import ListTable, TemplateColumn
from qihub.instruments import services
from qihub.instruments.models import Instrument, ServiceMode


class InstrumentTable(ListTable):
    name = TemplateColumn(
        "<a href=\"{% url 'instruments:detail' record.pk %}\">{{ record.name }}</a>",
        verbose_name="仪器",
        order_by=("name",),
    )
    model = tables.Column("型号", accessor="model")
    owner = tables.Column("所属机构", accessor="owner__name")
    modes = tables.Column("服务方式", accessor="mode_labels", orderable=False)
    price = tables.Column("收费", accessor="price_text", orderable=False)
    location = tables.Column("存放地点", accessor="location", orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "instruments"}
        row_attrs = {"data-name": lambda record: record.name}
        empty_text = "暂无共享仪器"


class InstrumentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="仪器或检测项目", method="understood")
    mode = django_filters.ChoiceFilter(
        label="服务方式", choices=ServiceMode.choices, empty_label="全部方式", method="by_mode"
    )
    free = django_filters.ChoiceFilter(
        label="收费",
        choices=[("1", "公益（免费）"), ("0", "收费")],
        empty_label="全部",
        method="by_free",
    )

    class Meta:
        model = Instrument
        fields = ["q", "mode", "free"]

    def understood(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return services.search(rows, value) if value.strip() else rows

    def by_mode(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        # JSON "contains" is not on SQLite: the modes are a short list, matched as text.
        return rows.filter(modes__icontains=f'"{value}"') if value else rows

    def by_free(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return rows.filter(free=value == "1") if value else rows


class MyInstrumentTable(ListTable):
    name = TemplateColumn(
        "<a href=\"{% url 'instruments:detail' record.pk %}\">{{ record.name }}</a>",
        verbose_name="仪器",
        order_by=("name",),
    )
    model = tables.Column("型号", accessor="model")
    listed = tables.BooleanColumn("公开共享", yesno="是,否")
    waiting = tables.Column("待审批预约", accessor="waiting")
    actions = TemplateColumn(
        template_name="instruments/_my_actions.html", verbose_name="操作", orderable=False
    )

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "my-instruments"}
        row_attrs = {"data-name": lambda record: record.name}
        empty_text = "暂无登记的仪器"


class FeeTable(ListTable):
    number = TemplateColumn(
        "<a href=\"{% url 'instruments:fee_slip' record.number %}\">{{ record.number }}</a>",
        verbose_name="缴费单号",
        order_by=("number",),
    )
    instrument = tables.Column("仪器", accessor="instrument__name")
    payer = tables.Column("缴费方", accessor="booking__user__party_name", orderable=False)
    quantity = TemplateColumn("{{ record.quantity }} {{ record.unit }}", verbose_name="数量")
    amount = TemplateColumn(
        "{% if record.free %}公益（免费）{% else %}{{ record.amount }} 元{% endif %}",
        verbose_name="金额",
    )
    issued_at = tables.DateTimeColumn("Y-m-d H:i", verbose_name="开具时间")

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "fee-slips"}
        empty_text = "本月暂无缴费单"


class StatsTable(ListTable):
    month = tables.DateColumn("Y年n月", verbose_name="月份", orderable=False)
    bookings = tables.Column("完成预约", orderable=False)
    hours = tables.Column("使用机时（小时）", default="0", orderable=False)
    samples = tables.Column("检测样品", default="0", orderable=False)
    users = tables.Column("服务用户", orderable=False)
    enterprises = tables.Column("服务企业", orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "instrument-stats"}
        empty_text = "暂无已完成的仪器预约"
