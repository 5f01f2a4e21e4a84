import django_filters
import django_tables2 as tables
from django.db.models import Min, Q, QuerySet
from django.utils import timezone
from django.utils.html import format_html

from qihub.core.lists import ListTable, TemplateColumn
from qihub.equipment.models import INSTRUMENT_SCHEDULE_KINDS, SPECIAL_KINDS, ItemStatus


def with_dates(rows: QuerySet) -> QuerySet:
    """Each item with its earliest due date and the day its first schedule falls due soon."""
    return rows.annotate(
        next_due=Min("schedules__due_on"), soon_from=Min("schedules__due_soon_from")
    )


def item_status(record: object) -> str:
    today = timezone.localdate()
    if record.out_of_service:
        return ItemStatus.OUT_OF_SERVICE.label
    if record.next_due is not None and record.next_due < today:
        return ItemStatus.OVERDUE.label
    if record.soon_from is not None and record.soon_from <= today:
        return ItemStatus.DUE_SOON.label
    return ItemStatus.VALID.label


def status_q(value: str) -> Q:
    today = timezone.localdate()
    if value == ItemStatus.OUT_OF_SERVICE:
        return Q(out_of_service=True)
    in_service = Q(out_of_service=False)
    if value == ItemStatus.OVERDUE:
        return in_service & Q(next_due__lt=today)
    if value == ItemStatus.DUE_SOON:
        return in_service & Q(next_due__gte=today, soon_from__lte=today)
    return in_service & (Q(soon_from__gt=today) | Q(soon_from__isnull=True))


class ItemFilterBase(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="状态", choices=ItemStatus.choices, empty_label="全部状态", method="by_status"
    )
    q = django_filters.CharFilter(label="名称或编号", method="by_text")

    def by_status(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return rows.filter(status_q(value)) if value else rows

    def by_text(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return rows
        return rows.filter(
            Q(name__icontains=value)
            | Q(serial__icontains=value)
            | Q(registration_no__icontains=value)
        )


class InstrumentFilter(ItemFilterBase):
    kind = django_filters.ChoiceFilter(
        label="管理方式",
        choices=[(k.value, k.label) for k in INSTRUMENT_SCHEDULE_KINDS],
        empty_label="全部方式",
        method="by_kind",
    )
    compulsory = django_filters.ChoiceFilter(
        label="强检",
        choices=[("1", "强检"), ("0", "非强检")],
        empty_label="全部",
        method="by_compulsory",
    )

    def by_kind(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return rows.filter(schedules__kind=value).distinct() if value else rows

    def by_compulsory(self, rows: QuerySet, name: str, value: str) -> QuerySet:
        return rows.filter(compulsory=value == "1") if value else rows


class SpecialFilter(ItemFilterBase):
    kind = django_filters.ChoiceFilter(
        label="设备类别",
        choices=[(k.value, k.label) for k in SPECIAL_KINDS],
        empty_label="全部类别",
    )


PICK = (
    "{% if record.soon_from and record.soon_from <= today and not record.out_of_service %}"
    '<input type="checkbox" class="form-check-input" name="items" value="{{ record.pk }}" '
    'form="request-form" aria-label="选择 {{ record.name }}" data-testid="pick">{% endif %}'
)


class InstrumentTable(ListTable):
    pick = TemplateColumn(PICK, verbose_name="选择", orderable=False, extra_context={"today": None})
    name = TemplateColumn(
        "<a href=\"{% url 'equipment:detail' record.pk %}\">{{ record.name }}</a>",
        verbose_name="器具名称",
    )
    model = tables.Column("型号规格", default="—")
    serial = tables.Column("出厂编号", default="—")
    compulsory = tables.BooleanColumn(verbose_name="强检", yesno="是,否")
    keeper = tables.Column("保管人", default="—")
    next_due = tables.DateColumn("Y-m-d", verbose_name="下次到期", default="—")
    status = tables.Column("状态", accessor="pk", orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "instruments"}
        row_attrs = {"data-serial": lambda record: record.serial}
        empty_text = "暂无计量器具"

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.columns["pick"].column.extra_context = {"today": timezone.localdate()}

    def render_status(self, record: object) -> str:
        return format_html('<span data-testid="item-status">{}</span>', item_status(record))


class SpecialTable(ListTable):
    name = TemplateColumn(
        "<a href=\"{% url 'equipment:detail' record.pk %}\">{{ record.name }}</a>",
        verbose_name="设备名称",
    )
    kind = tables.Column("类别", accessor="get_kind_display", order_by=("kind",))
    registration_no = tables.Column("设备注册代码", default="—")
    use_certificate_no = tables.Column("使用登记证编号", default="—")
    keeper = tables.Column("保管人", default="—")
    next_due = tables.DateColumn("Y-m-d", verbose_name="下次检验", default="—")
    status = tables.Column("状态", accessor="pk", orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "special-equipment"}
        empty_text = "暂无特种设备"

    def render_status(self, record: object) -> str:
        return format_html('<span data-testid="item-status">{}</span>', item_status(record))
