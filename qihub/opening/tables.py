"""The lists of open resources (INS-2): public lists with filters and a search box, and the
owners' own lists. Cards on phones come with `ListTable`."""

import django_filters
import django_tables2 as tables
from django.db.models import Q, QuerySet

from qihub.core.lists import ListTable, RegionFilter, TemplateColumn
from qihub.institutions.tokens import normalise
from qihub.opening.models import Laboratory, OpenResult, ResultKind, Terms

# 公益 vs 有偿 as the order pages show a free service (ORD-6): a green badge for free.
PRICE_BADGE = (
    '<span class="badge {% if record.free %}text-bg-success{% else %}text-bg-secondary{% endif %}"'
    ' data-testid="terms">{{ TEXT }}</span>'
)
LAB_PRICE = PRICE_BADGE.replace("{{ TEXT }}", "{{ record.price_label }}")
RESULT_TERMS = PRICE_BADGE.replace("{{ TEXT }}", "{{ record.get_terms_display }}")


def words_filter(queryset: QuerySet, fields: list[str], text: str) -> QuerySet:
    """Every word of the search box must appear in one of the fields (full-width folded)."""
    for word in normalise(text).split()[:8]:
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(match)
    return queryset


class LabTable(ListTable):
    name = TemplateColumn(
        "<a href=\"{% url 'opening:lab' record.pk %}\">{{ record.name }}</a>",
        verbose_name="实验室",
        order_by=("name",),
    )
    organisation = tables.Column("所属机构", accessor="organisation__name", orderable=False)
    equipped_for = tables.Column("主要用途与设施", orderable=False)
    area = tables.Column("面积（平方米）")
    capacity = tables.Column("可容纳人数")
    price = TemplateColumn(LAB_PRICE, verbose_name="收费", order_by=("-free", "price_per_hour"))

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "open-labs"}
        row_attrs = {"data-lab": lambda record: record.pk}
        empty_text = "暂无开放实验室"

    def render_equipped_for(self, value: str) -> str:
        return value if len(value) <= 40 else value[:40] + "…"


class LabFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键词", method="by_words")
    terms = django_filters.ChoiceFilter(
        label="收费",
        choices=Terms.choices,
        empty_label="全部",
        method="by_terms",
        error_messages={"invalid_choice": "收费：请从可选项中选择"},
    )
    region = RegionFilter(field_name="organisation__region")

    class Meta:
        model = Laboratory
        fields = ["q", "terms", "region"]

    def by_words(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return words_filter(queryset, ["name", "equipped_for", "organisation__name"], value)

    def by_terms(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(free=value == Terms.FREE)


class ResultTable(ListTable):
    title = TemplateColumn(
        "<a href=\"{% url 'opening:result' record.pk %}\">{{ record.title }}</a>",
        verbose_name="名称",
        order_by=("title",),
    )
    kind = tables.Column("类别", accessor="get_kind_display", order_by=("kind",))
    field = tables.Column("所属领域")
    organisation = tables.Column("所有单位", accessor="organisation__name", orderable=False)
    terms = TemplateColumn(RESULT_TERMS, verbose_name="使用条件", order_by=("terms",))
    created_at = tables.DateColumn("Y-m-d", verbose_name="发布时间")

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "open-results"}
        row_attrs = {"data-result": lambda record: record.pk}
        empty_text = "暂无公开信息"


class ResultFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键词", method="by_words")
    kind = django_filters.ChoiceFilter(
        label="类别",
        choices=ResultKind.choices,
        empty_label="全部类别",
        error_messages={"invalid_choice": "类别：请从可选项中选择"},
    )
    terms = django_filters.ChoiceFilter(
        label="使用条件",
        choices=Terms.choices,
        empty_label="全部",
        error_messages={"invalid_choice": "使用条件：请从可选项中选择"},
    )

    class Meta:
        model = OpenResult
        fields = ["q", "kind", "terms"]

    def by_words(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return words_filter(queryset, ["title", "field", "summary", "organisation__name"], value)


class MyLabTable(ListTable):
    name = TemplateColumn(
        "<a href=\"{% url 'opening:lab_edit' record.pk %}\">{{ record.name }}</a>",
        verbose_name="实验室",
        order_by=("name",),
    )
    price = TemplateColumn(LAB_PRICE, verbose_name="收费", orderable=False)
    listed = tables.BooleanColumn(verbose_name="对外开放", yesno="开放中,未开放")
    manage = TemplateColumn(
        '<a class="btn btn-outline-secondary btn-sm" href="{% url \'bookings:day\' record.resource_id %}">预约</a> '
        '<a class="btn btn-outline-secondary btn-sm"'
        " href=\"{% url 'bookings:policy' record.resource_id %}\">预约规则</a>",
        verbose_name="管理",
        orderable=False,
    )

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "my-labs"}
        row_attrs = {"data-lab": lambda record: record.pk}
        empty_text = "尚未登记开放实验室"


class MyResultTable(ListTable):
    title = TemplateColumn(
        "<a href=\"{% url 'opening:result_edit' record.pk %}\">{{ record.title }}</a>",
        verbose_name="名称",
        order_by=("title",),
    )
    kind = tables.Column("类别", accessor="get_kind_display", order_by=("kind",))
    organisation = tables.Column("所有单位", accessor="organisation__name", orderable=False)
    terms = TemplateColumn(RESULT_TERMS, verbose_name="使用条件", orderable=False)
    published = tables.BooleanColumn(verbose_name="公开", yesno="已公开,未公开")
    toggle = TemplateColumn(
        '<form method="post" action="{% url \'opening:result_toggle\' record.pk %}"'
        '{% if record.published %} data-confirm="撤下后公众不再看到该条信息，确定撤下吗？"{% endif %}>'
        '{% csrf_token %}<button class="btn btn-sm'
        ' btn-outline-{% if record.published %}danger{% else %}primary{% endif %}"'
        ' data-testid="result-toggle">{% if record.published %}撤下{% else %}重新公开{% endif %}</button></form>',
        verbose_name="操作",
        orderable=False,
    )

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "my-results"}
        row_attrs = {"data-result": lambda record: record.pk}
        empty_text = "尚未发布成果或标准信息"
