"""The support request's actions, one table for the pages (/support/<number>/<action>/) and
the API (/api/v1/support/requests/<number>/<action>) (ADR 0009). Submitting lives on the form
page and `POST /api/v1/support/requests`."""

from typing import Any

from django.utils import timezone

from qihub.core.actions import Action, ActionTable
from qihub.deadlines.queries import describe as clock_reading
from qihub.deadlines.queries import open_clock
from qihub.support import forms, workflow
from qihub.support.models import SupportRequest


def visible(user: Any, number: str) -> SupportRequest | None:
    return workflow.visible_requests(user).filter(number=number).first()


def describe(request: SupportRequest, user: Any) -> dict:
    clock = clock_reading(open_clock(request, workflow.CLOCK), timezone.now())
    return {
        "number": request.number,
        "role": request.role,
        "role_label": request.get_role_display(),
        "page": request.page,
        "error_number": request.error_number,
        "description": request.description,
        "status": request.status,
        "status_label": request.get_status_display(),
        "reply": request.reply,
        "due_at": clock["due_at"].isoformat() if clock else None,
        "overdue": bool(clock and clock["overdue"]),
        "version": request.version,
    }


ACTIONS = ActionTable(
    workflow.FLOW,
    lookup=visible,
    detail="support:detail",
    describe=describe,
    actions=[
        Action(
            "answer",
            forms.AnswerForm,
            lambda r, u, c: workflow.answer(r, by=u, version=c.get("version"), text=c["text"]),
            "已答复，答复已发送到用户的消息中心",
            summary="答复技术支持请求（平台工作人员）",
        ),
        Action(
            "add_info",
            forms.InfoForm,
            lambda r, u, c: workflow.add_info(r, by=u, version=c.get("version"), text=c["text"]),
            "补充说明已提交，平台将在 1 个工作日内再次答复",
            summary="补充说明（提交人，答复后）",
            page="add-info",
            api="add-info",
        ),
        Action(
            "close",
            forms.CloseForm,
            lambda r, u, c: workflow.close(
                r, by=u, version=c.get("version"), note=c.get("note", "")
            ),
            "技术支持请求已关闭",
            summary="关闭技术支持请求（提交人）",
        ),
    ],
)
