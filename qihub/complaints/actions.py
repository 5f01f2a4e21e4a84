"""The complaint's and the opinion's actions, one table each for the pages
(/complaints/<number>/<page>/, /ops/opinions/<number>/<page>/) and the API
(/api/v1/complaints/<number>/<api>, /api/v1/opinions/<number>/<api>): same form, same workflow
call, same decision (ADR 0009)."""

from typing import Any

from qihub.accounts import callers
from qihub.accounts.roles import is_back_office
from qihub.complaints import forms, workflow
from qihub.complaints.models import Complaint, Opinion
from qihub.core.actions import Action, ActionTable


def visible(user: Any, number: str) -> Complaint | None:
    """What the user may see, and a caller's complaint made for the user's mobile (to claim it)."""
    return (
        Complaint.objects.visible_to(user).filter(number=number).first()
        or Complaint.objects.filter(
            callers.claimable(user), number=number, complainant=None
        ).first()
    )


def visible_opinion(user: Any, number: str) -> Opinion | None:
    """Opinions are read by the back office only; to anyone else they do not exist."""
    if not user.is_authenticated or not is_back_office(user):
        return None
    return Opinion.objects.filter(number=number).first()


def _describe(complaint: Complaint, user: Any) -> dict:
    from qihub.complaints.api import summary

    return summary(complaint, user)


def _describe_opinion(opinion: Opinion, user: Any) -> dict:
    from qihub.complaints.api import opinion_summary

    return opinion_summary(opinion)


ACTIONS = ActionTable(
    workflow.FLOW,
    lookup=visible,
    detail="complaints:detail",
    describe=_describe,
    actions=[
        Action(
            "findings",
            forms.FindingsForm,
            lambda c, u, d: workflow.record_findings(
                c, by=u, version=d["version"], findings=d["text"], staff_username=d["staff"]
            ),
            "调查核实情况已登记",
            summary="登记调查核实情况（text；staff=被投诉工作人员账号，可选）",
        ),
        Action(
            "forward",
            forms.ForwardForm,
            lambda c, u, d: workflow.forward(c, by=u, version=d["version"], note=d["text"]),
            "已转交被投诉机构",
            summary="转交被投诉机构答复（text=转交说明，可选）",
        ),
        Action(
            "respond",
            forms.RespondForm,
            lambda c, u, d: workflow.respond(c, by=u, version=d["version"], response=d["text"]),
            "答复已提交",
            summary="被投诉机构答复（text）",
        ),
        Action(
            "decide",
            forms.DecideForm,
            lambda c, u, d: workflow.decide(
                c,
                by=u,
                version=d["version"],
                substantiated=d["substantiated"],
                decision=d["decision"],
            ),
            "处理决定已登记",
            summary="登记处理决定（substantiated=yes/no，decision）",
        ),
        Action(
            "feedback",
            forms.FeedbackForm,
            lambda c, u, d: workflow.feed_back(c, by=u, version=d["version"], outcome=d["text"]),
            "处理结果已反馈投诉人",
            summary="将处理结果反馈投诉人并办结（text）",
        ),
        Action(
            "rate",
            forms.RateForm,
            lambda c, u, d: workflow.rate_handling(c, by=u, satisfied=d["satisfied"]),
            "感谢您的评价",
            summary="投诉人评价处理结果（satisfied=yes/no）",
        ),
        Action(
            "pause",
            forms.PauseForm,
            lambda c, u, d: workflow.pause(c, by=u, reason=d["reason"]),
            "已暂停计时",
            summary="暂停计时，等待投诉人补充材料（reason）",
        ),
        Action(
            "resume",
            forms.ResumeForm,
            lambda c, u, d: workflow.resume(c, by=u, note=d["note"]),
            "已恢复计时",
            summary="恢复计时（note，可选）",
        ),
        Action(
            "claim",
            callers.ClaimForm,
            lambda c, u, d: workflow.claim(c, by=u),
            "已认领，该投诉已归入您的账户",
            summary="认领以本人手机号码登记的投诉（无账户投诉人注册后）",
        ),
    ],
)


OPINION_ACTIONS = ActionTable(
    workflow.OPINION_FLOW,
    lookup=visible_opinion,
    detail="complaints:opinion",
    describe=_describe_opinion,
    actions=[
        Action(
            "close",
            forms.CloseOpinionForm,
            lambda o, u, d: workflow.close_opinion(
                o, by=u, reply=d["reply"], improvement=d["improvement"]
            ),
            "已登记答复和改进措施",
            summary="登记答复和改进措施并关闭意见（reply 可选，improvement）",
        ),
    ],
)
