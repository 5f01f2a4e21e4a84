"""The institution lists (入驻机构, 资质变更审核, 服务项目管理, 变更申请记录) as `core.lists` tables."""

import django_filters
import django_tables2 as tables
from django.db.models import Q, QuerySet

from qihub.core.lists import ListTable, TemplateColumn
from qihub.institutions.models import Institution

CHANGE_LINK = "<a href=\"{% url 'institutions:qualification_change' record.number %}\">{{ record.number }}</a>"  # noqa: E501
OPS_STATUS = """{% with org=record.org %}{% if org.deregistered_at %}<span class="badge text-bg-secondary">已注销</span>{% elif org.listed %}<span class="badge text-bg-success">显示中</span>{% else %}<span class="badge text-bg-warning">资质到期，已隐藏</span>{% endif %}{% endwith %}"""  # noqa: E501
OPS_ACTIONS = """{% with org=record.org can=record.can %}{% if "deregister" in can %}<a href="{% url 'institutions:deregister_by_platform' org.pk %}">直接注销</a>{% endif %}
{% if "restore" in can %}<form method="post" action="{% url 'institutions:restore' org.pk %}" class="d-inline qihub-form">{% csrf_token %}<input type="text" name="note" maxlength="500" placeholder="恢复说明（可选）" aria-label="恢复说明"> <button class="btn btn-sm btn-outline-success" type="submit">恢复显示</button></form>{% endif %}{% endwith %}"""  # noqa: E501
SERVICE_ACTIONS = """<a href="{% url 'institutions:edit_service' record.pk %}">修改</a>
<form method="post" action="{% url 'institutions:toggle_service' record.pk %}" class="d-inline" data-confirm="{% if record.published %}确定下架“{{ record.name }}”吗？下架后企业将看不到该服务。{% else %}确定重新发布“{{ record.name }}”吗？{% endif %}">{% csrf_token %}
<button class="btn btn-link btn-sm p-0 ms-2" type="submit">{% if record.published %}下架{% else %}重新发布{% endif %}</button></form>"""  # noqa: E501


class InstitutionOpsTable(ListTable):
    name = tables.Column("名称", accessor="org__name")
    uscc = tables.Column("统一社会信用代码", accessor="org__uscc")
    qualifications = TemplateColumn(
        "{% for q in record.org.qualifications.all %}<div>{{ q.type }} {{ q.number }} 至 "
        '{{ q.valid_until|date:"Y-m-d" }}</div>{% endfor %}',
        verbose_name="资质",
        orderable=False,
    )
    status = TemplateColumn(OPS_STATUS, verbose_name="状态", orderable=False)
    actions = TemplateColumn(OPS_ACTIONS, verbose_name="操作", orderable=False)

    class Meta(ListTable.Meta):
        attrs = {
            **ListTable.Meta.attrs,
            "class": "table table-sm align-middle qihub-list",
            "data-testid": "institutions",
        }
        empty_text = "暂无入驻机构"


class InstitutionOpsFilter(django_filters.FilterSet):
    keyword = django_filters.CharFilter(label="名称或信用代码", method="by_keyword")
    shown = django_filters.ChoiceFilter(
        label="状态",
        choices=[("listed", "显示中"), ("hidden", "资质到期，已隐藏"), ("gone", "已注销")],
        empty_label="全部状态",
        method="by_shown",
    )

    class Meta:
        model = Institution
        fields = ["keyword", "shown"]

    def by_keyword(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(uscc__icontains=value))

    def by_shown(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "gone":
            return queryset.exclude(deregistered_at=None)
        return queryset.filter(deregistered_at=None, listed=value == "listed")


class PendingChangeTable(ListTable):
    number = TemplateColumn(CHANGE_LINK, verbose_name="编号")
    organisation = tables.Column("机构", accessor="organisation__name")
    kind = tables.Column("事项", accessor="get_kind_display", order_by=("kind",))
    qualification = TemplateColumn(
        "{% if record.qualification %}{{ record.qualification }}{% else %}"
        "{{ record.get_type_display }} {{ record.certificate_number }}{% endif %}",
        verbose_name="资质",
        orderable=False,
    )
    submitted_at = tables.DateTimeColumn("Y-m-d H:i", verbose_name="提交时间")

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "pending-changes"}
        empty_text = "暂无待审核的申请"


class DecidedChangeTable(ListTable):
    number = TemplateColumn(CHANGE_LINK, verbose_name="编号")
    organisation = tables.Column("机构", accessor="organisation__name")
    kind = tables.Column("事项", accessor="get_kind_display", order_by=("kind",))
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))
    decided_at = tables.DateTimeColumn("Y-m-d H:i", verbose_name="审核时间", default="—")

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "decided-changes"}
        empty_text = "暂无"


class MyChangeTable(ListTable):
    number = TemplateColumn(CHANGE_LINK, verbose_name="编号")
    kind = tables.Column("事项", accessor="get_kind_display", order_by=("kind",))
    submitted_at = tables.DateTimeColumn("Y-m-d H:i", verbose_name="提交时间")
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "changes"}
        empty_text = "暂无变更申请"


class ServiceTable(ListTable):
    name = tables.Column("服务名称")
    category = tables.Column("类别", accessor="get_category_display", order_by=("category",))
    period_days = TemplateColumn(
        "{{ record.period_days }} 个工作日", verbose_name="服务周期", order_by=("period_days",)
    )
    price = tables.Column("价格", accessor="price_label", order_by=("price",))
    published = TemplateColumn(
        '{% if record.published %}<span class="badge text-bg-success">已发布</span>'
        '{% else %}<span class="badge text-bg-secondary">已下架</span>{% endif %}',
        verbose_name="状态",
    )
    actions = TemplateColumn(
        SERVICE_ACTIONS,
        verbose_name="操作",
        orderable=False,
        attrs={"td": {"class": "text-nowrap"}},
    )

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "my-services"}
        empty_text = "尚未发布服务项目"
