import django_filters
import django_tables2 as tables
from django.db.models import QuerySet

from qihub.core.lists import ListTable, TemplateColumn
from qihub.standards.lookup import search
from qihub.standards.models import Kind, Standard, Status, Watch

NUMBER = (
    "<a href=\"{% url 'standards:detail' record.pk %}\">{{ record.number }}</a>"
    '{% if record.demo %} <span class="badge text-bg-warning">演示数据</span>{% endif %}'
)


class StandardTable(ListTable):
    number = TemplateColumn(NUMBER, verbose_name="标准号", order_by=("key", "year"))
    title = tables.Column("标准名称")
    kind = tables.Column("类别", accessor="get_kind_display", order_by=("kind",))
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))
    effective_on = tables.DateColumn("Y-m-d", verbose_name="实施日期", default="—")
    replaced_by = tables.Column("被代替标准", default="—", orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "standards"}
        row_attrs = {"data-number": lambda record: record.number}
        empty_text = "标准库中暂无标准"


class StandardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="标准号或名称中的词", method="words")
    kind = django_filters.ChoiceFilter(label="类别", choices=Kind.choices, empty_label="全部类别")
    status = django_filters.ChoiceFilter(
        label="状态", choices=Status.choices, empty_label="全部状态"
    )

    class Meta:
        model = Standard
        fields = ["q", "kind", "status"]

    def words(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search(queryset, value)


class WatchTable(ListTable):
    number = TemplateColumn(
        "<a href=\"{% url 'standards:detail' record.standard_id %}\">{{ record.standard.number }}</a>"
        '{% if record.standard.demo %} <span class="badge text-bg-warning">演示数据</span>{% endif %}',
        verbose_name="标准号",
        order_by=("standard__key",),
    )
    title = tables.Column("标准名称", accessor="standard__title")
    status = tables.Column(
        "状态", accessor="standard__get_status_display", order_by=("standard__status",)
    )
    change = TemplateColumn(
        '{% if record.change %}{% if record.unread %}<strong class="text-danger">新</strong> {% endif %}'
        "{{ record.change }}（{{ record.changed_at|date:'Y-m-d' }}）{% else %}—{% endif %}",
        verbose_name="最近变化",
        order_by=("-changed_at",),
    )
    actions = TemplateColumn(
        '<form method="post" action="{% url \'standards:unwatch\' record.pk %}" '
        'data-confirm="不再关注 {{ record.standard.number }}？">{% csrf_token %}'
        '<button class="btn btn-sm btn-outline-secondary" type="submit">取消关注</button></form>',
        verbose_name="操作",
        orderable=False,
    )

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "watches"}
        row_attrs = {"data-number": lambda record: record.standard.number}
        empty_text = "暂无关注的标准"


__all__ = ["StandardFilter", "StandardTable", "Watch", "WatchTable"]
