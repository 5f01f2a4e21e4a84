"""The rectification's actions, one table for the pages (/rectifications/<number>/<page>/) and
the API (/api/v1/rectifications/<number>/<api>): same form, same workflow call, same decision."""

from typing import Any

from django.db.models import QuerySet

from qihub.accounts.models import Role, User
from qihub.accounts.roles import is_back_office
from qihub.core.actions import Action, ActionTable
from qihub.evaluations import forms, workflow
from qihub.evaluations.models import Rectification


def rectifications_visible_to(user: User) -> QuerySet[Rectification]:
    """The back office sees all; an institution or a station only those addressed to it."""
    rows = Rectification.objects.select_related("institution", "station")
    if is_back_office(user):
        return rows
    if user.role == Role.INSTITUTION:
        return rows.filter(institution__account=user)
    if user.role == Role.STATION_STAFF and user.station_id:
        return rows.filter(station=user.station_id)
    return rows.none()


def visible(user: Any, number: str) -> Rectification | None:
    return rectifications_visible_to(user).filter(number=number).first()


def describe(r: Rectification, user: Any) -> dict:
    return {
        "number": r.number,
        "status": r.status,
        "status_label": r.get_status_display(),
        "version": r.version,
        "source": r.source,
        "subject": r.subject(),
        "problem": r.problem,
        "plan": r.plan,
        "actions": r.actions,
        "verification": r.verification,
        "closed_at": r.closed_at.isoformat() if r.closed_at else None,
        "may": sorted(workflow.RECTIFICATION_FLOW.available(user, r)),
    }


ACTIONS = ActionTable(
    workflow.RECTIFICATION_FLOW,
    lookup=visible,
    detail="evaluations:rectification",
    describe=describe,
    actions=[
        Action(
            "plan",
            forms.StepForm,
            lambda r, u, c: workflow.submit_plan(r, by=u, version=c["version"], plan=c["text"]),
            "整改计划已提交",
            summary="提交整改计划（version，text）",
        ),
        Action(
            "actions",
            forms.StepForm,
            lambda r, u, c: workflow.record_actions(
                r, by=u, version=c["version"], actions=c["text"]
            ),
            "纠正措施已登记，待验证",
            summary="登记已采取的纠正措施（version，text）",
        ),
        # One form for both conclusions: `effective` picks the move (verify closes, reject sends
        # it back to corrective actions); both moves admit the same actors.
        Action(
            "verify",
            forms.VerifyForm,
            lambda r, u, c: workflow.verify(
                r, by=u, version=c["version"], effective=c["effective"], result=c["text"]
            ),
            "复查结果已登记",
            api="verification",
            summary="登记复查结论（version，effective=yes/no，text）",
        ),
    ],
)
