"""The 系统运行监控 card's count (OPS-1): today's server errors, the rows 错误查询 lists."""

from django.db.models import QuerySet

from qihub.accounts.models import User
from qihub.accounts.todo import Todo


def errors_today(user: User) -> QuerySet:
    from qihub.ops.models import ServerError
    from qihub.ops.monitoring import today_start

    return ServerError.objects.filter(at__gte=today_start())


ERRORS_TODAY = Todo(errors_today, waiting_label="今日错误")
