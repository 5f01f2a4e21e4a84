import django_tables2 as tables

from qihub.core.lists import ListTable, TemplateColumn
from qihub.improvement.models import ImprovementPlan, PlanAction


class PlanTable(ListTable):
    year = TemplateColumn(
        "<a href=\"{% url 'improvement:plan' record.year %}\">{{ record.year }}年度改进计划</a>",
        verbose_name="计划",
    )
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))
    summarised_at = tables.DateTimeColumn("Y-m-d H:i", verbose_name="汇总时间")
    published_at = tables.DateTimeColumn("Y-m-d", verbose_name="发布时间", default="—")

    class Meta(ListTable.Meta):
        model = ImprovementPlan
        fields = ("year", "status", "summarised_at", "published_at")
        attrs = {**ListTable.Meta.attrs, "data-testid": "plans"}
        empty_text = "暂无改进计划"


class MyActionTable(ListTable):
    number = TemplateColumn(
        "<a href=\"{% url 'improvement:action' record.number %}\">{{ record.number }}</a>",
        verbose_name="措施编号",
    )
    year = tables.Column("年度", accessor="plan__year")
    problem = tables.Column("针对问题")
    due_on = tables.DateColumn("Y-m-d", verbose_name="完成期限")
    percent = TemplateColumn("{{ record.percent }}%", verbose_name="进度")
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))

    class Meta(ListTable.Meta):
        model = PlanAction
        fields = ("number", "year", "problem", "due_on", "percent", "status")
        attrs = {**ListTable.Meta.attrs, "data-testid": "my-actions"}
        empty_text = "暂无由您负责的改进措施"
