import django_filters
import django_tables2 as tables

from qihub.accounts.models import Station, StationKind
from qihub.core.lists import ListTable, RegionFilter, TemplateColumn
from qihub.core.regions import full_name
from qihub.stations.hours import is_open
from qihub.workcal.services import load_calendar


class DirectoryTable(ListTable):
    name = TemplateColumn(
        "<a href=\"{% url 'stations:detail' record.pk %}\">{{ record.name }}</a>",
        verbose_name="站点",
        order_by=("name",),
    )
    kind = tables.Column("类型", accessor="get_kind_display", order_by=("kind",))
    region = tables.Column("所在地区", orderable=False, empty_values=())
    address = tables.Column("地址", default="—", orderable=False)
    phone = tables.Column("电话", default="—", orderable=False)
    now = tables.Column("当前", orderable=False, empty_values=())

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "station-directory"}
        row_attrs = {"data-station": lambda record: record.pk}
        empty_text = "暂无服务站点"

    def __init__(self, *args: object, **kw: object) -> None:
        super().__init__(*args, **kw)
        self.calendar = load_calendar()  # once per page, not per row

    def render_region(self, record: Station) -> str:
        return full_name(record.region) if record.region else "—"

    def render_now(self, record: Station) -> str:
        return "营业中" if is_open(record.periods.all(), None, self.calendar) else "已休息"


class DirectoryFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label="站点名称", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(
        label="类型", choices=StationKind.choices, empty_label="全部类型"
    )
    region = RegionFilter(field_name="region")

    class Meta:
        model = Station
        fields = ["name", "kind", "region"]
