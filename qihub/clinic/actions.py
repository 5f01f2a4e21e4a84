"""The consultation's actions: one table for the pages and the API (ADR 0009)."""

from typing import Any

from django.db.models import Q, QuerySet

from qihub.accounts.roles import BACK_OFFICE, EXPERTS
from qihub.clinic import forms, workflow
from qihub.clinic.models import Consultation
from qihub.core.actions import Action, ActionTable


def visible_to(user: Any) -> QuerySet:
    """The asker their own questions; an expert those routed to them; the back office all."""
    rows = Consultation.objects.select_related("asker", "expert", "institution", "demand")
    if not getattr(user, "is_authenticated", False):
        return rows.none()
    if user.role in BACK_OFFICE:
        return rows
    if user.role in EXPERTS:
        return rows.filter(Q(expert__user=user) | Q(asker=user))
    return rows.filter(asker=user)


def lookup(user: Any, key: str) -> Consultation | None:
    return visible_to(user).filter(number=key).first()


def describe(record: Consultation, user: Any) -> dict:
    return {
        "number": record.number,
        "field": record.field,
        "field_label": record.get_field_display(),
        "title": record.title,
        "question": record.question,
        "institution": record.institution.name if record.institution else "",
        "region": record.region,
        "status": record.status,
        "status_label": record.get_status_display(),
        "expert": record.expert.name if record.expert else "",
        "pending_question": record.pending_question,
        "answer": record.answer,
        "needs_test": record.needs_test,
        "answered_at": record.answered_at.isoformat() if record.answered_at else None,
        "on_time": record.on_time,
        "rating": record.rating,
        "published": record.published_at is not None,
        "demand": record.demand.number if record.demand else "",
        "version": record.version,
    }


ACTIONS = ActionTable(
    workflow.FLOW,
    lookup=lookup,
    detail="clinic:detail",
    describe=describe,
    actions=[
        Action(
            "ask_back",
            forms.AskBackForm,
            lambda r, u, c: workflow.ask_back(r, by=u, version=c["version"], text=c["text"]),
            "已追问，提问人补充前答复时限暂停计算",
            summary="专家追问（version、text），答复时限暂停",
            page="ask-back",
            api="ask-back",
        ),
        Action(
            "reply",
            forms.ReplyForm,
            lambda r, u, c: workflow.reply(r, by=u, version=c["version"], text=c["text"]),
            "已补充说明，专家将继续回答",
            summary="提问人补充说明（version、text），答复时限继续",
        ),
        Action(
            "answer",
            forms.AnswerForm,
            lambda r, u, c: workflow.answer(
                r, by=u, version=c["version"], text=c["text"], needs_test=c["needs_test"]
            ),
            "答复已提交",
            summary="专家回答（version、text、needs_test）",
        ),
        Action(
            "rate",
            forms.RateForm,
            lambda r, u, c: workflow.rate(
                r, by=u, version=c["version"], rating=c["rating"], note=c["note"]
            ),
            "感谢您的评价",
            summary="提问人评价答复（version、rating 1–5、note）",
        ),
        Action(
            "publish",
            forms.VersionForm,
            lambda r, u, c: workflow.publish(r, by=u, version=c["version"]),
            "已匿名公开到问答库",
            summary="运营人员将好评答复匿名公开到问答库（version）",
        ),
        Action(
            "to_demand",
            forms.VersionForm,
            lambda r, u, c: workflow.to_demand(r, by=u, version=c["version"]),
            "已转为服务需求，平台将尽快响应",
            summary="提问人将咨询一键转为服务需求（version）",
            page="to-demand",
            api="to-demand",
        ),
        Action(
            "assign",
            forms.AssignForm,
            lambda r, u, c: workflow.assign(r, by=u, version=c["version"], expert=c["expert"]),
            "已指派专家",
            summary="运营人员为待分派的咨询指派专家（version、expert）",
        ),
        Action(
            "reassign",
            forms.AssignForm,
            lambda r, u, c: workflow.assign(r, by=u, version=c["version"], expert=c["expert"]),
            "已改派专家",
            summary="运营人员改派回答专家（version、expert）",
        ),
    ],
)
