"""Training lists, on the one list building block (`qihub.core.lists`)."""

import django_filters
import django_tables2 as tables
from django.db.models import Q, QuerySet

from qihub.core.lists import ListTable, TemplateColumn
from qihub.training.models import Enrolment, EventKind, Field, TrainingEvent

TOPIC = "<a href=\"{% url 'training:event' record.number %}\">{{ record.topic }}</a>"
PLACE = "{% if record.online %}线上{% else %}{{ record.place }}{% endif %}"
FEE = "{{ record.fee_label }}"


class EventTable(ListTable):
    topic = TemplateColumn(TOPIC, verbose_name="主题", order_by=("topic",))
    kind = tables.Column("类型", accessor="get_kind_display", order_by=("kind",))
    field = tables.Column("领域", accessor="get_field_display", order_by=("field",))
    starts_at = tables.DateTimeColumn("Y-m-d H:i", verbose_name="开始时间")
    hours = tables.Column("学时")
    place = TemplateColumn(PLACE, verbose_name="地点", orderable=False)
    fee = TemplateColumn(FEE, verbose_name="费用", order_by=("fee",))
    organiser = tables.Column("主办方", accessor="organiser__party_name", orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "training-events"}
        row_attrs = {"data-event": lambda record: record.number}
        empty_text = "暂无培训活动"


class EventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="关键词", method="search")
    kind = django_filters.ChoiceFilter(
        label="类型", choices=EventKind.choices, empty_label="全部类型"
    )
    field = django_filters.ChoiceFilter(label="领域", choices=Field.choices, empty_label="全部领域")

    class Meta:
        model = TrainingEvent
        fields = ["q", "kind", "field"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(topic__icontains=word) | Q(description__icontains=word) | Q(place__icontains=word)
            )
        return queryset


EVENT = "<a href=\"{% url 'training:enrolment' record.code %}\">{{ record.event.topic }}</a>"


class EnrolmentTable(ListTable):
    event = TemplateColumn(EVENT, verbose_name="活动", orderable=False)
    starts_at = tables.DateTimeColumn(
        "Y-m-d H:i", verbose_name="开始时间", accessor="event__starts_at"
    )
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))
    hours = tables.Column("学时", accessor="event__hours", orderable=False)

    class Meta(ListTable.Meta):
        model = Enrolment
        fields: list[str] = []
        attrs = {**ListTable.Meta.attrs, "data-testid": "my-enrolments"}
        row_attrs = {"data-code": lambda record: record.code}
        empty_text = "暂无培训报名"
