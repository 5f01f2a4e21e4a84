"""Today's server errors on the 错误查询 page, as a `core.lists` table."""

import django_tables2 as tables

from qihub.accounts.models import Role
from qihub.core.lists import ListTable, TemplateColumn
from qihub.ops.models import ServerError

# Request methods in words: the page carries no raw codes.
METHODS = {"GET": "打开页面", "HEAD": "打开页面", "POST": "提交表单"}


def method_label(method: str) -> str:
    return METHODS.get(method, "其他请求")


def role_label(role: str) -> str:
    return Role(role).label if role in Role.values else "未登录访客"


class ServerErrorTable(ListTable):
    number = TemplateColumn(
        '<a href="?number={{ record.number }}" data-testid="error-link">{{ record.number }}</a>',
        verbose_name="错误编号",
        order_by=("number",),
    )
    at = tables.DateTimeColumn(verbose_name="发生时间", format="H:i:s")
    method = tables.Column(verbose_name="操作", orderable=False)
    role = tables.Column(verbose_name="用户角色", orderable=False, empty_values=())

    class Meta(ListTable.Meta):
        model = ServerError
        fields = ("number", "at", "method", "role")
        empty_text = "今天没有系统错误"

    def render_method(self, value: str) -> str:
        return method_label(value)

    def render_role(self, value: str) -> str:
        return role_label(value)
