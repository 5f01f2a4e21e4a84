"""The guidance lists (ENT-4, ENT-5), on the one list building block (`qihub.core.lists`)."""

import datetime as dt
from typing import Any

import django_filters
import django_tables2 as tables
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.html import format_html

from qihub.core.lists import ListTable, TemplateColumn
from qihub.guidance.models import (
    Declaration,
    DeclarationStatus,
    DeclarationWindow,
    Declared,
    EnterpriseStandard,
    Level,
    Phase,
    WindowKind,
)


def with_phase(windows: QuerySet, today: dt.date) -> QuerySet:
    """Open windows first (closing soonest first), then upcoming, then the closed ones."""
    return windows.annotate(
        phase_rank=Case(
            When(opens_on__gt=today, then=Value(1)),
            When(closes_on__lt=today, then=Value(2)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).order_by("phase_rank", "closes_on", "pk")


def in_phase(windows: QuerySet, phase: str, today: dt.date) -> QuerySet:
    if phase == Phase.OPEN:
        return windows.filter(opens_on__lte=today, closes_on__gte=today)
    if phase == Phase.UPCOMING:
        return windows.filter(opens_on__gt=today)
    if phase == Phase.CLOSED:
        return windows.filter(closes_on__lt=today)
    return windows


PHASE_BADGE = {Phase.OPEN: "success", Phase.UPCOMING: "primary", Phase.CLOSED: "secondary"}


class WindowTable(ListTable):
    title = TemplateColumn(
        "<a href=\"{% url 'guidance:window' record.pk %}\">{{ record.title }}</a>",
        verbose_name="申报名称",
        order_by=("title",),
    )
    kind = tables.Column("类别", accessor="get_kind_display", order_by=("kind",))
    level = tables.Column("级别", accessor="get_level_display", order_by=("level",), default="—")
    department = tables.Column("发布部门", orderable=False)
    opens_on = tables.DateColumn("Y-m-d", verbose_name="开始日期")
    closes_on = tables.DateColumn("Y-m-d", verbose_name="截止日期")
    phase = tables.Column("状态", empty_values=(), order_by=("phase_rank", "closes_on"))

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "windows"}
        row_attrs = {"data-window": lambda record: record.pk}
        empty_text = "暂无申报信息"

    def render_phase(self, record: DeclarationWindow) -> str:
        today = timezone.localdate()
        phase = record.phase(today)
        label = Phase(phase).label
        if phase == Phase.OPEN:
            left = (record.closes_on - today).days
            label = f"{label}（剩 {left} 天）" if left else f"{label}（今天截止）"
        return format_html(
            '<span class="badge text-bg-{}" data-phase="{}">{}</span>',
            PHASE_BADGE[phase],
            phase,
            label,
        )


class WindowFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label="申报类别", choices=WindowKind.choices, empty_label="全部类别"
    )
    level = django_filters.ChoiceFilter(label="级别", choices=Level.choices, empty_label="全部级别")
    phase = django_filters.ChoiceFilter(
        label="申报状态", choices=Phase.choices, empty_label="全部", method="by_phase"
    )
    title = django_filters.CharFilter(label="名称包含", lookup_expr="icontains")

    class Meta:
        model = DeclarationWindow
        fields = ["kind", "level", "phase", "title"]

    def by_phase(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return in_phase(queryset, value, timezone.localdate())


class StandardTable(ListTable):
    number = TemplateColumn(
        "<a href=\"{% url 'guidance:standard_edit' record.pk %}\">{{ record.number }}</a>",
        verbose_name="标准编号",
        order_by=("number",),
    )
    title = tables.Column("标准名称")
    product = tables.Column("适用产品")
    edition = tables.Column("版本", default="—", orderable=False)
    issued_on = tables.DateColumn("Y-m-d", verbose_name="发布日期")
    declared = tables.Column("自我声明", accessor="get_declared_display", order_by=("declared",))
    review = tables.Column("复审到期", empty_values=(), orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "standards"}
        row_attrs = {"data-standard": lambda record: record.number}
        empty_text = "暂无企业标准"

    def render_review(self, record: EnterpriseStandard) -> str:
        due = record.review_due_on
        if due is None:
            return "—"
        if record.review_overdue(timezone.localdate()):
            return format_html(
                '<span class="text-danger fw-bold" data-review="overdue">{}（已到复审期）</span>',
                f"{due:%Y-%m-%d}",
            )
        return f"{due:%Y-%m-%d}"


class StandardFilter(django_filters.FilterSet):
    declared = django_filters.ChoiceFilter(
        label="自我声明状态", choices=Declared.choices, empty_label="全部"
    )
    q = django_filters.CharFilter(label="编号或名称", method="by_text")

    class Meta:
        model = EnterpriseStandard
        fields = ["declared", "q"]

    def by_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        from django.db.models import Q

        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value))


class DeclarationTable(ListTable):
    number = TemplateColumn(
        "<a href=\"{% url 'guidance:declaration' record.number %}\">{{ record.number }}</a>",
        verbose_name="申报编号",
        order_by=("number",),
    )
    enterprise = tables.Column("申报企业", accessor="enterprise__party_name", orderable=False)
    window = tables.Column("申报名称", accessor="window__title", order_by=("window__title",))
    kind = tables.Column("类别", accessor="window__get_kind_display", order_by=("window__kind",))
    closes_on = tables.DateColumn("Y-m-d", verbose_name="截止日期", accessor="window__closes_on")
    status = tables.Column("进度", accessor="get_status_display", order_by=("status",))

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "declarations"}
        row_attrs = {"data-declaration": lambda record: record.number}
        empty_text = "暂无申报"


class DeclarationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label="申报类别",
        field_name="window__kind",
        choices=WindowKind.choices,
        empty_label="全部类别",
    )
    status = django_filters.ChoiceFilter(
        label="进度", choices=DeclarationStatus.choices, empty_label="全部"
    )
    enterprise = django_filters.CharFilter(
        label="企业名称", field_name="enterprise__organisation__name", lookup_expr="icontains"
    )

    class Meta:
        model = Declaration
        fields = ["kind", "status", "enterprise"]
