"""The one action table of pooled batches (DEM-13), serving the pages and the API."""

from typing import Any

from qihub.core.actions import Action, ActionTable
from qihub.pooling import forms, workflow
from qihub.pooling.models import Batch


def visible(user: Any, number: str) -> Batch | None:
    return Batch.objects.visible_to(user).filter(number=number).first()


def _describe(batch: Batch, user: Any) -> dict:
    from qihub.pooling.api import summary

    return summary(batch, user)


ACTIONS = ActionTable(
    workflow.FLOW,
    lookup=visible,
    detail="pooling:detail",
    describe=_describe,
    actions=[
        Action(
            "offer",
            forms.OfferForm,
            lambda b, u, d: workflow.offer(
                b,
                by=u,
                service=d["service"],
                price=d["price"],
                period_days=d["period_days"],
                note=d["note"],
                version=d["version"],
            ),
            "批量报价已发出，等待各企业答复",
            summary="承接机构报价（service=本机构服务项目编号，price=每家企业价格，period_days）",
        ),
        Action(
            "turn_down",
            forms.ReasonForm,
            lambda b, u, d: workflow.turn_down(b, by=u, reason=d["reason"], version=d["version"]),
            "已答复不承接该批次",
            summary="承接机构不承接该批次（reason）",
            page="turn-down",
            api="turn-down",
        ),
        Action(
            "cancel",
            forms.ReasonForm,
            lambda b, u, d: workflow.cancel(b, by=u, reason=d["reason"], version=d["version"]),
            "批次已撤销，各企业需求按原流程继续办理",
            summary="平台工作人员撤销批次（reason）",
        ),
        Action(
            "accept",
            forms.AnswerForm,
            lambda b, u, d: workflow.accept(b, by=u, version=d["version"]),
            "已接受批量报价，已为您的需求生成订单",
            summary="需求提出企业接受批量报价，为其需求生成订单",
        ),
        Action(
            "decline",
            forms.DeclineForm,
            lambda b, u, d: workflow.decline(b, by=u, reason=d["reason"], version=d["version"]),
            "已谢绝批量报价，您的需求按原流程继续办理",
            summary="需求提出企业谢绝批量报价（reason 可选）",
        ),
    ],
)
