import django_filters
import django_tables2 as tables

from qihub.core.lists import ListTable, TemplateColumn
from qihub.flows.models import FlowRun, RunStatus, RunStep, StepState


class RunTable(ListTable):
    number = TemplateColumn(
        "<a href=\"{% url 'flows:run' record.number %}\">{{ record.number }}</a>",
        verbose_name="办理编号",
        order_by=("number",),
    )
    title = tables.Column("流程", accessor="template__title", order_by=("template__code",))
    enterprise = tables.Column("企业", accessor="enterprise__name")
    subject = tables.Column("办理事项", default="—", orderable=False)
    current = tables.Column("当前步骤", empty_values=(), orderable=False)
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))
    started_at = tables.DateColumn("Y-m-d", verbose_name="发起日期")

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "flow-runs"}
        row_attrs = {"data-number": lambda record: record.number}
        empty_text = "暂无办理流程"

    def render_current(self, record: FlowRun) -> str:
        # `record.current_step()` for the page's runs in one query, not one per row (B11).
        current = self.per_page("current", _current_steps).get(record.pk)
        if current is None:
            return "—"
        return (
            f"第 {current.position} 步：{current.step.title}（{current.step.get_actor_display()}）"
        )


def _current_steps(runs: list[FlowRun]) -> dict[int, RunStep]:
    """Each run's current step, as `FlowRun.current_step` picks it (the first by position)."""
    found: dict[int, RunStep] = {}
    rows = RunStep.objects.filter(run__in=runs, state=StepState.CURRENT).select_related("step")
    for row in rows.order_by("run", "position"):
        found.setdefault(row.run_id, row)
    return found


class RunFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(label="办理编号", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(
        label="状态", choices=RunStatus.choices, empty_label="全部状态"
    )

    class Meta:
        model = FlowRun
        fields = ["number", "status"]
