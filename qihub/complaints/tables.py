"""The complaint and opinion lists as `core.lists` tables with their filters."""

import django_filters
import django_tables2 as tables

from qihub.complaints.models import (
    Complaint,
    ComplaintChannel,
    ComplaintStatus,
    Opinion,
    OpinionChannel,
    OpinionKind,
    OpinionStatus,
)
from qihub.core.lists import ListTable, TemplateColumn

OPINION_HANDLING = """{% if record.status == "closed" %}{% if record.reply %}<div>答复：{{ record.reply }}</div>{% endif %}<div data-testid="improvement">改进：{{ record.improvement }}</div><div class="text-muted">{{ record.handled_by }} {{ record.closed_at|date:"Y-m-d" }}</div>{% elif record.can.close %}<form method="post" action="{% url 'complaints:close' record.number %}" class="qihub-form" data-confirm="确定登记并关闭该意见吗？">{% csrf_token %}{% include "form_fields.html" with form=close_form %}<button class="btn btn-outline-primary btn-sm" type="submit">登记处理</button></form>{% endif %}"""  # noqa: E501


class ComplaintTable(ListTable):
    number = TemplateColumn(
        "<a href=\"{% url 'complaints:detail' record.number %}\">{{ record.number }}</a>",
        verbose_name="编号",
    )
    against = tables.Column(
        "被投诉方", accessor="against", order_by=("against_organisation__name", "against_name")
    )
    type = tables.Column("类型", order_by=("type__position",))
    channel = tables.Column("渠道", accessor="get_channel_display", order_by=("channel",))
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))
    submitted_at = tables.DateTimeColumn("Y-m-d H:i", verbose_name="受理时间")

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "complaints"}
        empty_text = "暂无投诉"


class ComplaintFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(label="编号", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(
        label="状态", choices=ComplaintStatus.choices, empty_label="全部状态"
    )
    channel = django_filters.ChoiceFilter(
        label="渠道", choices=ComplaintChannel.choices, empty_label="全部渠道"
    )

    class Meta:
        model = Complaint
        fields = ["number", "status", "channel"]


class OpinionTable(ListTable):
    number = TemplateColumn(
        "<a href=\"{% url 'complaints:opinion' record.number %}\">{{ record.number }}</a>",
        verbose_name="编号",
    )
    channel = tables.Column("渠道", accessor="get_channel_display", order_by=("channel",))
    kind = tables.Column("类别", accessor="get_kind_display", order_by=("kind",))
    content = TemplateColumn(
        '{{ record.content|linebreaksbr }}{% if record.contact %}<div class="text-muted">'
        "联系方式：{{ record.contact }}</div>{% endif %}",
        verbose_name="内容",
        orderable=False,
    )
    received_at = tables.DateTimeColumn("Y-m-d H:i", verbose_name="收到时间")
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))
    handling = TemplateColumn(OPINION_HANDLING, verbose_name="答复与改进措施", orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "opinions"}
        empty_text = "暂无意见建议"


class OpinionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="状态", choices=OpinionStatus.choices, empty_label="全部状态"
    )
    channel = django_filters.ChoiceFilter(
        label="渠道", choices=OpinionChannel.choices, empty_label="全部渠道"
    )
    kind = django_filters.ChoiceFilter(
        label="类别", choices=OpinionKind.choices, empty_label="全部类别"
    )

    class Meta:
        model = Opinion
        fields = ["status", "channel", "kind"]
