import django_filters
import django_tables2 as tables
from django.db.models import QuerySet

from qihub.catalog.models import Category
from qihub.clinic import queries
from qihub.clinic.models import Consultation, ConsultationStatus, Expert
from qihub.core.lists import ListTable, TemplateColumn

SHOW_CHOICES = [
    ("waiting", "待回答"),
    ("due_soon", "即将超时"),
    ("answered", "已回答"),
]


class ConsultationTable(ListTable):
    number = TemplateColumn(
        "<a href=\"{% url 'clinic:detail' record.number %}\">{{ record.number }}</a>",
        verbose_name="咨询编号",
        order_by=("number",),
    )
    title = tables.Column("问题标题")
    field = tables.Column("专业领域", accessor="get_field_display", order_by=("field",))
    expert = tables.Column("回答专家", accessor="expert__name", default="—")
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))
    asked_at = tables.DateTimeColumn("Y-m-d H:i", verbose_name="提问时间")

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "consultations"}
        row_attrs = {"data-consultation": lambda record: record.number}
        empty_text = "暂无质量门诊咨询"


class ConsultationFilter(django_filters.FilterSet):
    show = django_filters.ChoiceFilter(
        label="查看", choices=SHOW_CHOICES, empty_label="全部", method="filter_show"
    )
    field = django_filters.ChoiceFilter(
        label="专业领域", choices=Category.choices, empty_label="全部领域"
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=ConsultationStatus.choices, empty_label="全部状态"
    )

    class Meta:
        model = Consultation
        fields = ["show", "field", "status"]

    def filter_show(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queries.shown(queryset, value)


class ExpertTable(ListTable):
    name = TemplateColumn(
        "<a href=\"{% url 'clinic:expert' record.pk %}\">{{ record.name }}</a>",
        verbose_name="姓名",
        order_by=("name",),
    )
    title = tables.Column("职称")
    organisation = tables.Column("所在单位", accessor="organisation__name", default="—")
    fields = tables.Column("专业领域", accessor="field_labels", orderable=False)
    availability = tables.Column("接单状态", accessor="availability_label", order_by=("available",))
    open_count = tables.Column("处理中", orderable=False)
    answers = tables.Column("已回答", orderable=False)
    on_time_rate = tables.Column("按时率", orderable=False)
    average_rating = tables.Column("平均评分", orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "experts"}
        row_attrs = {"data-expert": lambda record: record.pk}
        empty_text = "专家库暂无专家"

    def render_on_time_rate(self, value: float | None) -> str:
        return "—" if value is None else f"{value:.0%}"

    def render_average_rating(self, value: float | None) -> str:
        return "—" if value is None else f"{value:.1f} 分"


class ExpertFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label="姓名", lookup_expr="icontains")

    class Meta:
        model = Expert
        fields = ["name"]
