import django_tables2 as tables

from qihub.core.lists import ListTable, TemplateColumn
from qihub.finance.models import Referral


class ReferralTable(ListTable):
    number = TemplateColumn(
        "<a href=\"{% url 'finance:referral' record.number %}\">{{ record.number }}</a>",
        verbose_name="申请编号",
    )
    product = tables.Column("金融产品", accessor="product__name")
    enterprise = tables.Column("申请企业", accessor="enterprise__party_name", orderable=False)
    status = tables.Column("状态", accessor="get_status_display", order_by=("status",))
    created_at = tables.DateTimeColumn("Y-m-d H:i", verbose_name="申请时间")
    due = tables.Column("转介时限", empty_values=(), orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "referrals"}
        row_attrs = {"data-number": lambda record: record.number}
        empty_text = "暂无对接申请"

    def render_due(self, record: Referral) -> str:
        reading = self.clock_reading(record, "finance_referral")
        return reading.get("label", "—") if reading else "—"
