"""The order's actions, one table for the pages (/orders/<number>/<page>/) and the API
(/api/v1/orders/<number>/<api>): same form, same workflow call, same decision."""

from typing import Any

from qihub.core.actions import Action, ActionTable
from qihub.demands.forms import UnurgentForm, UrgentForm
from qihub.orders import forms, workflow
from qihub.orders.models import Order


def visible(user: Any, number: str) -> Order | None:
    return (
        Order.objects.visible_to(user)
        .filter(number=number)
        .select_related("service", "institution", "client", "demand")
        .first()
    )


def _describe(order: Order, user: Any) -> dict:
    from qihub.orders.api import summary

    return summary(order, user)


ACTIONS = ActionTable(
    workflow.FLOW,
    lookup=visible,
    detail="orders:detail",
    describe=_describe,
    actions=[
        Action(
            "confirm",
            forms.ConfirmForm,
            lambda o, u, c: workflow.confirm(
                o,
                by=u,
                version=c["version"],
                price=c["price"],
                period_days=c["period_days"],
                note=c["note"],
            ),
            "订单已确认",
            summary="机构确认订单（按需报价时填写 price、period_days）",
        ),
        Action(
            "accept",
            forms.AcceptForm,
            lambda o, u, c: workflow.accept_quote(o, by=u, version=c["version"]),
            "已确认报价，机构将开始服务",
            summary="下单人接受报价",
        ),
        Action(
            "refuse",
            forms.ReasonForm,
            lambda o, u, c: workflow.refuse(o, by=u, version=c["version"], reason=c["reason"]),
            "已不予受理并通知下单人",
            summary="机构不予受理（reason）",
        ),
        Action(
            "cancel",
            forms.ReasonForm,
            lambda o, u, c: workflow.cancel(o, by=u, version=c["version"], reason=c["reason"]),
            "订单已取消",
            summary="下单人取消（reason）",
        ),
        Action(
            "progress",
            forms.ProgressForm,
            lambda o, u, c: workflow.record_progress(o, by=u, note=c["note"]),
            "进度已登记",
            summary="机构登记进度（note）",
        ),
        Action(
            "complete",
            forms.CompleteForm,
            lambda o, u, c: workflow.complete(o, by=u, version=c["version"], note=c["note"]),
            "订单已完成",
            summary="机构完成服务（不经平台出具报告时；note）",
        ),
        Action(
            "issue_report",
            forms.ReportForm,
            lambda o, u, c: workflow.issue_report(
                o,
                by=u,
                version=c["version"],
                source=c["report"],
                filename=c["filename"],
                conclusion=c["conclusion"],
                verify_base=c["verify_base"],
                results=c["results"],
            ),
            "电子报告已签发，订单已完成",
            page="report",
            api="report",
            summary="机构出具电子报告（multipart：report=PDF，conclusion，version）",
        ),
        # The order's 加急 actions take the same forms as the demand's (one reason field).
        Action(
            "urgent",
            UrgentForm,
            lambda o, u, c: workflow.set_urgent(
                o, urgent=True, by=u, version=c["version"], reason=c["reason"]
            ),
            "已转为加急（绿色通道），服务周期已按加急重新计算",
            summary="转为加急（绿色通道），代下单人申请（reason=加急原因）",
        ),
        Action(
            "unurgent",
            UnurgentForm,
            lambda o, u, c: workflow.set_urgent(
                o, urgent=False, by=u, version=c["version"], reason=c["reason"]
            ),
            "已取消加急，服务周期已恢复",
            summary="取消加急（reason=取消原因）",
        ),
        Action(
            "collection",
            forms.CollectionForm,
            lambda o, u, c: workflow.record_collection(o, by=u, **c),
            "代办领取已登记",
            summary="窗口登记报告代办领取（collected_by，id_number，note）",
        ),
    ],
)
