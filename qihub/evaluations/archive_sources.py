"""This app's records in the enterprise quality archive (ARC-1, `qihub.archive.registry`)."""

from qihub.accounts.models import User
from qihub.archive.registry import Record, record, source
from qihub.evaluations.models import Evaluation


@source("evaluations", "服务评价", order=40)
def evaluations(account: User) -> list[Record]:
    rows = Evaluation.objects.filter(order__client=account).select_related("order")
    return [
        record(
            "evaluations",
            f"订单 {e.order.number} 的评价：总体满意度 {e.overall} 分",
            e.at,
            status=e.get_status_display(),
            number=e.order.number,
            events=e.events.select_related("by__organisation"),
            created="提交评价",
        )
        for e in rows
    ]
