"""The 设备管理 list as a `core.lists` table."""

import django_tables2 as tables

from qihub.core.lists import ListTable, TemplateColumn

REVOKE = """<form method="post" action="{% url 'accounts:revoke_device' record.pk %}" class="d-inline" data-confirm="确定注销设备“{{ record.name }}”吗？该设备将立即退出登录。">{% csrf_token %}<button class="btn btn-outline-danger btn-sm" type="submit">注销</button></form>"""  # noqa: E501


class DeviceTable(ListTable):
    name = tables.Column("设备名称")
    issued_at = tables.DateTimeColumn("Y-m-d H:i", verbose_name="登录时间")
    refreshed_at = tables.DateTimeColumn("Y-m-d H:i", verbose_name="最近刷新", default="—")
    expires_at = tables.DateTimeColumn("Y-m-d H:i", verbose_name="有效期至")
    revoke = TemplateColumn(REVOKE, verbose_name="操作", orderable=False)

    class Meta(ListTable.Meta):
        attrs = {**ListTable.Meta.attrs, "data-testid": "devices"}
        row_attrs = {"data-device": lambda record: record.pk}
        empty_text = "暂无 App 或小程序登录"
