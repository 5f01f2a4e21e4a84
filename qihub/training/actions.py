"""Enrolment actions, one table for the pages (/training/enrolments/<code>/<action>/) and the API
(/api/v1/training/enrolments/<code>/<action>): same form, same workflow call (ADR 0009).
Enrolling lives on the event's page and `POST /api/v1/training/events/<number>/enrol`."""

from typing import Any

from django.utils import timezone

from qihub.core.actions import Action, ActionTable
from qihub.training import forms, workflow
from qihub.training.models import Enrolment


def visible(user: Any, code: str) -> Enrolment | None:
    return workflow.visible_enrolments(user).filter(code=code).first()


def describe(enrolment: Enrolment, user: Any) -> dict:
    event = enrolment.event
    return {
        "code": enrolment.code,
        "event": event.number,
        "topic": event.topic,
        "participant": enrolment.participant.party_name,
        "status": enrolment.status,
        "status_label": enrolment.get_status_display(),
        "starts_at": timezone.localtime(event.starts_at).isoformat(),
        "checked_in_at": enrolment.checked_in_at.isoformat() if enrolment.checked_in_at else None,
        "result": enrolment.result,
        "result_label": enrolment.get_result_display() if enrolment.result else "",
        "hours": str(event.hours) if enrolment.status == "attended" else "0",
        "rating": enrolment.rating,
        "version": enrolment.version,
    }


def _v(c: dict) -> int | None:
    return c.get("version")


ACTIONS = ActionTable(
    workflow.FLOW,
    lookup=visible,
    detail="training:enrolment",
    describe=describe,
    key="code",
    actions=[
        Action(
            "cancel",
            forms.VersionForm,
            lambda e, u, c: workflow.cancel(e, by=u, version=_v(c)),
            "已取消报名",
            summary="取消报名（候补第一位随即转正）",
        ),
        Action(
            "check_in",
            forms.VersionForm,
            lambda e, u, c: workflow.check_in(e, by=u, version=_v(c)),
            "已签到",
            summary="主办方为报名人签到（扫码或输入签到码）",
            page="check-in",
            api="check-in",
        ),
        Action(
            "attend",
            forms.AttendForm,
            lambda e, u, c: workflow.attend(e, by=u, result=c["result"], version=_v(c)),
            "已登记结业，学时已计入",
            summary="主办方登记出勤与结果，学时计入参训人",
        ),
        Action(
            "evaluate",
            forms.EvaluateForm,
            lambda e, u, c: workflow.evaluate(
                e, by=u, rating=c["rating"], comment=c["comment"], version=_v(c)
            ),
            "感谢您的评价",
            summary="参训人评价活动（1–5 分）",
        ),
    ],
)
