import django_tables2 as tables
from django.utils.html import format_html

from qihub.core.lists import ListTable, TemplateColumn
from qihub.support.models import SupportRequest
from qihub.support.workflow import CLOCK


class SupportTable(ListTable):
    number = TemplateColumn(
        "<a href=\"{% url 'support:detail' record.number %}\">{{ record.number }}</a>",
        verbose_name="工单编号",
    )
    role = tables.Column("提交人身份", accessor="get_role_display", order_by=("role",))
    description = tables.Column("问题描述", orderable=False)
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))
    created_at = tables.DateTimeColumn("Y-m-d H:i", verbose_name="提交时间")
    due = tables.Column("答复时限", empty_values=(), orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "support-requests"}
        row_attrs = {"data-number": lambda record: record.number}
        empty_text = "暂无技术支持请求"

    def render_description(self, value: str) -> str:
        return value if len(value) <= 40 else f"{value[:40]}…"

    def render_due(self, record: SupportRequest) -> str:
        reading = self.clock_reading(record, CLOCK)
        if reading.get("overdue") and not reading.get("stopped"):
            return format_html(
                '<span class="badge text-bg-danger" data-testid="support-overdue">{}</span>',
                reading["label"],
            )
        return reading.get("label", "—") if reading else "—"
