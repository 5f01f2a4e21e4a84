"""The demand's actions, one table for the pages (/demands/<number>/<page>/) and the API
(/api/v1/demands/<number>/<api>): same form, same workflow call, same decision."""

from typing import Any

from qihub.accounts import callers
from qihub.core.actions import Action, ActionTable
from qihub.demands import forms, workflow
from qihub.demands.models import Demand

CHANGEABLE = tuple(workflow.CHANGEABLE)


def _shortlist(demand: Demand, user: Any, data: dict) -> object:
    return workflow.edit_shortlist(
        demand, by=user, version=data["version"], included=data["included"], add=data["add"]
    )


def visible(user: Any, number: str) -> Demand | None:
    """What the user may see, and a caller's demand made for the user's mobile (to claim it)."""
    return (
        # The recommendation comes with the demand: its page and API read it anyway.
        Demand.objects.visible_to(user)
        .select_related("recommendation")
        .filter(number=number)
        .first()
        or Demand.objects.filter(callers.claimable(user), number=number, client=None).first()
    )


def _describe(demand: Demand, user: Any) -> dict:
    from qihub.demands.api import summary

    return summary(demand, user)


ACTIONS = ActionTable(
    workflow.FLOW,
    lookup=visible,
    detail="demands:detail",
    describe=_describe,
    actions=[
        Action(
            "respond",
            forms.RespondForm,
            lambda d, u, c: workflow.respond(d, by=u, version=c["version"], note=c["note"]),
            "已响应，您是该需求的第一受理人",
            summary="响应需求（成为第一受理人）",
        ),
        Action(
            "reassign",
            forms.ReassignForm,
            lambda d, u, c: workflow.reassign(
                d, to=c["to"], by=u, version=c["version"], reason=c["reason"]
            ),
            "第一受理人已变更，已通知提出人",
            summary="变更第一受理人（to=人员编号，reason）",
        ),
        Action(
            "shortlist",
            forms.ShortlistForm,
            _shortlist,
            "推荐名单已保存",
            api="recommendation",
            summary="编辑推荐名单（included=机构编号，可多值；add=机构名称或统一社会信用代码）",
        ),
        Action(
            "send",
            forms.SendForm,
            lambda d, u, c: workflow.send_recommendation(
                d, by=u, version=c["version"], note=c["note"]
            ),
            "推荐已发送给企业和机构",
            api="recommendation/send",
            summary="发送推荐名单",
        ),
        Action(
            "refer",
            forms.ReferForm,
            lambda d, u, c: workflow.refer_outside(
                d,
                by=u,
                version=c["version"],
                searched=c["searched"],
                found=c["found"],
                feedback=c["feedback"],
            ),
            "平台外查找情况已登记并反馈企业",
            api="referral",
            summary="登记平台外机构查找并反馈企业",
        ),
        Action(
            "contact",
            forms.ContactForm,
            lambda d, u, c: workflow.log_contact(
                d,
                by=u,
                kind=c["kind"],
                method=c["method"],
                with_whom=c["with_whom"],
                summary=c["summary"],
            ),
            "已记录",
            api="contacts",
            summary="沟通、跟踪回访、问题协调记录",
        ),
        Action(
            "change",
            forms.ChangeForm,
            lambda d, u, c: workflow.change_service(
                d,
                by=u,
                version=c["version"],
                changes={k: c[k] for k in CHANGEABLE},
                reason=c["reason"],
            ),
            "服务内容已变更并留痕",
            summary="变更服务内容（留痕）",
        ),
        Action(
            "withdraw",
            forms.CloseForm,
            lambda d, u, c: workflow.withdraw(d, by=u, version=c["version"], reason=c["note"]),
            "需求已撤回",
            summary="撤回需求（提出人）",
        ),
        Action(
            "urgent",
            forms.UrgentForm,
            lambda d, u, c: workflow.set_urgent(
                d, urgent=True, by=u, version=c["version"], reason=c["reason"]
            ),
            "已转为加急（绿色通道），时限已按加急重新计算",
            summary="转为加急（绿色通道），代企业申请（reason=加急原因）",
        ),
        Action(
            "unurgent",
            forms.UnurgentForm,
            lambda d, u, c: workflow.set_urgent(
                d, urgent=False, by=u, version=c["version"], reason=c["reason"]
            ),
            "已取消加急，时限已恢复",
            summary="取消加急（reason=取消原因）",
        ),
        Action(
            "claim",
            callers.ClaimForm,
            lambda d, u, c: workflow.claim(d, by=u),
            "已认领，该需求已归入您的账户",
            summary="认领以本人手机号码代录的需求（无账户来电人注册后）",
        ),
        Action(
            "close",
            forms.CloseForm,
            lambda d, u, c: workflow.close(d, by=u, version=c["version"], note=c["note"]),
            "需求已办结",
            summary="办结需求",
        ),
    ],
)
