import django_filters
import django_tables2 as tables

from qihub.bulletins.models import Alert, AlertKind, DefectReport, Field
from qihub.core.lists import ListTable, TemplateColumn


class PolicyTable(ListTable):
    title = TemplateColumn(
        "<a href=\"{% url 'bulletins:policy' record.pk %}\">{{ record.title }}</a>",
        verbose_name="标题",
        order_by=("title",),
    )
    issuer = tables.Column("发布机关")
    number = tables.Column("文号", default="—")
    issued_on = tables.DateColumn("Y-m-d", verbose_name="发布日期")
    validity = tables.Column("效力状态", accessor="get_validity_display", order_by=("validity",))
    field = tables.Column("领域", accessor="get_field_display", order_by=("field",))

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "policies"}
        empty_text = "暂无政策法规"


class AlertTable(ListTable):
    title = TemplateColumn(
        "<a href=\"{% url 'bulletins:alert' record.pk %}\">{{ record.title }}</a>",
        verbose_name="标题",
        order_by=("title",),
    )
    kind = tables.Column("类别", accessor="get_kind_display", order_by=("kind",))
    field = tables.Column("领域", accessor="get_field_display", order_by=("field",))
    product = tables.Column("涉及产品")
    published_on = tables.DateColumn("Y-m-d", verbose_name="发布日期")

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "alerts"}
        empty_text = "暂无安全警示"


class AlertFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label="类别", choices=AlertKind.choices, empty_label="全部类别"
    )
    field = django_filters.ChoiceFilter(label="领域", choices=Field.choices, empty_label="全部领域")
    product = django_filters.CharFilter(label="产品", lookup_expr="icontains")

    class Meta:
        model = Alert
        fields = ["kind", "field", "product"]


class DefectTable(ListTable):
    number = TemplateColumn(
        "<a href=\"{% url 'bulletins:defect' record.number %}\">{{ record.number }}</a>",
        verbose_name="报告编号",
    )
    product = tables.Column("产品名称")
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))
    created_at = tables.DateTimeColumn("Y-m-d H:i", verbose_name="提交时间")
    due = tables.Column("答复时限", empty_values=(), orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "defects"}
        row_attrs = {"data-number": lambda record: record.number}
        empty_text = "暂无产品缺陷报告"

    def render_due(self, record: DefectReport) -> str:
        reading = self.clock_reading(record, "defect_answer")
        return reading.get("label", "—") if reading else "—"
