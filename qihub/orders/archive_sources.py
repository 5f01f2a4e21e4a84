"""This app's records in the enterprise quality archive (ARC-1, `qihub.archive.registry`)."""

from qihub.accounts.models import User
from qihub.archive.registry import Record, record, source
from qihub.orders.models import Order, Report


@source("orders", "服务订单", order=20)
def orders(account: User) -> list[Record]:
    rows = Order.objects.filter(client=account).select_related("service")
    return [
        record(
            "orders",
            o.service.name,
            o.placed_at,
            status=o.get_status_display(),
            number=o.number,
            events=o.events.select_related("by__organisation"),
            created="下单",
        )
        for o in rows
    ]


@source("reports", "检测报告与证书", order=30)
def reports(account: User) -> list[Record]:
    rows = Report.objects.filter(order__client=account).select_related("order__service", "issued")
    return [
        record(
            "reports",
            f"{r.order.service.name}：{r.conclusion}",
            r.issued_at,
            status="已签发",
            number=r.number,
            created="签发报告",
            documents=[r.issued],
        )
        for r in rows
    ]
