"""The package's one action table (DEM-12): the page routes and the API routes
(/api/v1/packages/<number>/<action>) from the same rows (ADR 0009)."""

from typing import Any

from qihub.core.actions import Action, ActionTable
from qihub.packages import forms, workflow
from qihub.packages.models import Package


def visible(user: Any, number: str) -> Package | None:
    return Package.objects.visible_to(user).filter(number=number).first()


def _describe(package: Package, user: Any) -> dict:
    from qihub.packages.api import summary

    return summary(package, user)


ACTIONS = ActionTable(
    workflow.FLOW,
    lookup=visible,
    detail="packages:detail",
    describe=_describe,
    actions=[
        Action(
            "take",
            forms.TakeForm,
            lambda p, u, d: workflow.take(p, by=u),
            "已受理，您是该申请的协调人，请编制服务方案",
            summary="平台或站点工作人员受理申请并担任协调人（第一受理人）",
        ),
        Action(
            "add_line",
            forms.LineForm,
            lambda p, u, d: workflow.add_line(
                p,
                by=u,
                stage=d["stage"],
                service=d["service"],
                standard=d["standard"],
                price=d["price"],
                recognitions=d["recognitions"],
            ),
            "已添加方案条目",
            summary=(
                "协调人添加一项检测（stage=环节，service=机构服务项目编号，standard，price，"
                "recognitions=该结果服务的认可用途编号，可多个）"
            ),
            page="lines/add",
            api="lines",
        ),
        Action(
            "remove_line",
            forms.RemoveLineForm,
            lambda p, u, d: workflow.remove_line(p, by=u, line=d["line"]),
            "已删除方案条目",
            summary="协调人删除一项检测（line=方案条目编号）",
            page="lines/remove",
            api="lines/remove",
        ),
        Action(
            "propose",
            forms.ProposeForm,
            lambda p, u, d: workflow.propose(p, by=u, note=d["note"]),
            "方案已提交，等待企业确认",
            summary="协调人向企业提交方案（note 可选）",
        ),
        Action(
            "return_plan",
            forms.ReturnForm,
            lambda p, u, d: workflow.return_plan(p, by=u, reason=d["reason"]),
            "方案已退回协调人修改",
            summary="申请人退回方案修改（reason）",
            page="return",
            api="return",
        ),
        Action(
            "accept",
            forms.AcceptForm,
            lambda p, u, d: workflow.accept(p, by=u),
            "方案已确认，各项检测已生成订单",
            summary="申请人确认方案：每项检测生成一个关联订单",
        ),
        Action(
            "withdraw",
            forms.WithdrawForm,
            lambda p, u, d: workflow.withdraw(p, by=u, reason=d["reason"]),
            "申请已撤回",
            summary="申请人撤回申请（reason 可选）",
        ),
        Action(
            "evaluate",
            forms.EvaluationForm,
            lambda p, u, d: workflow.evaluate(p, by=u, data=d),
            "感谢您对本次定制服务的整体评价",
            summary="申请人对整个定制服务评价（overall、coordination、saving 各 1–5 分，comment 可选）",
        ),
    ],
)
