import django_tables2 as tables

from qihub.core.lists import ListTable, TemplateColumn
from qihub.workstation.models import AllianceMember, Hospital, IndustryFigure, KeyProject, Talent


class ProjectTable(ListTable):
    number = TemplateColumn(
        "<a href=\"{% url 'workstation:project' record.number %}\">{{ record.number }}</a>",
        verbose_name="项目编号",
    )
    kind = tables.Column("推荐通道", accessor="get_kind_display", order_by=("kind",))
    enterprise = tables.Column("企业")
    product = tables.Column("产品")
    status = tables.Column("进度", accessor="get_status_display", order_by=("status",))
    submitted_on = tables.DateColumn("Y-m-d", verbose_name="推送日期", default="—")

    class Meta(ListTable.Meta):
        model = KeyProject
        fields = ()
        attrs = {**ListTable.Meta.attrs, "data-testid": "projects"}
        empty_text = "暂无重点项目"


class FigureTable(ListTable):
    town = tables.Column("乡镇（街道）", accessor="town__name")
    period = tables.Column("期间", accessor="period_label", order_by=("year", "quarter"))
    enterprises = tables.Column("企业数量")
    above_scale = tables.Column("规上企业")
    below_scale = tables.Column("规下企业", orderable=False)
    output = tables.Column("产值（万元）")
    tax = tables.Column("税收（万元）")

    class Meta(ListTable.Meta):
        model = IndustryFigure
        fields = ()
        attrs = {**ListTable.Meta.attrs, "data-testid": "figures"}
        empty_text = "暂无产业数据"


class HospitalTable(ListTable):
    name = tables.Column("医院")
    filing_number = tables.Column("临床试验机构备案号")
    specialties = tables.Column("备案专业", orderable=False)
    contact = tables.Column("联系方式", orderable=False)

    edit = TemplateColumn(
        "<a href=\"{% url 'workstation:directory_edit' 'hospitals' record.pk %}\">修改</a>",
        verbose_name="维护",
        orderable=False,
    )

    class Meta(ListTable.Meta):
        model = Hospital
        fields = ()
        attrs = {**ListTable.Meta.attrs, "data-testid": "hospitals"}
        empty_text = "暂无临床试验医院"


class MemberTable(ListTable):
    organisation = tables.Column("单位")
    offers = tables.Column("产品与服务", orderable=False)
    contact = tables.Column("联系方式", orderable=False)

    edit = TemplateColumn(
        "<a href=\"{% url 'workstation:directory_edit' 'members' record.pk %}\">修改</a>",
        verbose_name="维护",
        orderable=False,
    )

    class Meta(ListTable.Meta):
        model = AllianceMember
        fields = ()
        attrs = {**ListTable.Meta.attrs, "data-testid": "members"}
        empty_text = "暂无联盟成员"


class TalentTable(ListTable):
    name = tables.Column("姓名")
    field = tables.Column("专业领域")
    title = tables.Column("职称", default="—")
    organisation = tables.Column("所在单位", default="—")
    contact = tables.Column("联系方式", orderable=False, default="—")

    edit = TemplateColumn(
        "<a href=\"{% url 'workstation:directory_edit' 'talents' record.pk %}\">修改</a>",
        verbose_name="维护",
        orderable=False,
    )

    class Meta(ListTable.Meta):
        model = Talent
        fields = ()
        attrs = {**ListTable.Meta.attrs, "data-testid": "talents"}
        empty_text = "暂无人才信息"
