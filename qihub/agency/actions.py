"""The entrustment's one action table (DEM-11): the page routes and the API routes
(/api/v1/agency/entrustments/<number>/<action>) from the same rows (ADR 0009)."""

from typing import Any

from qihub.agency import forms, workflow
from qihub.agency.models import Authority, Entrustment
from qihub.core.actions import Action, ActionTable


def visible(user: Any, number: str) -> Entrustment | None:
    return Entrustment.objects.visible_to(user).filter(number=number).first()


def _describe(entrustment: Entrustment, user: Any) -> dict:
    from qihub.agency.api import summary

    return summary(entrustment, user)


def _step(authority: str) -> Action:
    label = Authority(authority).label
    return Action(
        workflow.step_action(authority),
        forms.StepForm,
        lambda e, u, d: workflow.take_step(
            e,
            by=u,
            authority=authority,
            item=d["item"],
            note=d["note"],
            files=[d["attachment"]],
        ),
        f"已登记：{label}",
        summary=f"受托代办人登记代办步骤“{label}”（item=事项编号，note，attachment 可选）",
        page=f"step/{authority}",
        api=f"step/{authority}",
    )


ACTIONS = ActionTable(
    workflow.FLOW,
    lookup=visible,
    detail="agency:detail",
    describe=_describe,
    actions=[
        Action(
            "sign_online",
            forms.SignOnlineForm,
            lambda e, u, d: workflow.sign_online(
                e, by=u, request=d["_request"], password=d["password"], code=d["code"]
            ),
            "委托书已在线签署，代办人将按授权范围办理",
            summary="委托人在线签署（password=登录密码，code=当前动态口令）",
            page="sign",
            api="sign",
        ),
        Action(
            "sign_paper",
            forms.SignPaperForm,
            lambda e, u, d: workflow.sign_paper(e, by=u, scan=d["scan"]),
            "签字委托书已上传，委托生效",
            summary="委托人上传签字（盖章）后的委托书（scan）",
            page="sign-paper",
            api="sign-paper",
        ),
        Action(
            "withdraw",
            forms.WithdrawForm,
            lambda e, u, d: workflow.withdraw(e, by=u, reason=d["reason"]),
            "委托已撤回，未办结事项已终止",
            summary="委托人撤回委托（reason 可选）；未办结事项终止",
        ),
        *[_step(a.value) for a in Authority],
        Action(
            "finish",
            forms.FinishForm,
            lambda e, u, d: workflow.finish(e, by=u),
            "委托已办结",
            summary="受托代办人办结委托（全部事项已办结后）",
        ),
    ],
)
