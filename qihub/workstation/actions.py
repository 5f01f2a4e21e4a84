"""The key project's actions, one table for the pages (/workstation/projects/<number>/<action>/)
and the API (/api/v1/workstation/projects/<number>/<action>): same form, same workflow call
(ADR 0009). Registering a project lives on the list page and `POST /api/v1/workstation/projects`."""

from typing import Any

from qihub.accounts.roles import is_handler
from qihub.core.actions import Action, ActionTable
from qihub.workstation import forms, workflow
from qihub.workstation.models import KeyProject


def visible(user: Any, number: str) -> KeyProject | None:
    """Key projects are the workstation's own work: its staff see them."""
    if not getattr(user, "is_authenticated", False) or not is_handler(user):
        return None
    return KeyProject.objects.filter(number=number).first()


def describe(project: KeyProject, user: Any) -> dict:
    return {
        "number": project.number,
        "kind": project.kind,
        "kind_label": project.get_kind_display(),
        "enterprise": project.enterprise,
        "product": project.product,
        "status": project.status,
        "status_label": project.get_status_display(),
        "checklist": project.checklist,
        "met": project.met,
        "unmet": project.unmet,
        "submitted_on": project.submitted_on.isoformat() if project.submitted_on else None,
        "submission_number": project.submission_number,
        "sessions": [
            {"held_on": s.held_on.isoformat(), "coach": s.coach, "notes": s.notes}
            for s in project.sessions.all()
        ],
        "decided_on": project.decided_on.isoformat() if project.decided_on else None,
        "result_note": project.result_note,
        "version": project.version,
    }


def _v(c: dict) -> int | None:
    return c.get("version")


ACTIONS = ActionTable(
    workflow.FLOW,
    lookup=visible,
    detail="workstation:project",
    describe=describe,
    actions=[
        Action(
            "check",
            forms.CheckForm,
            lambda p, u, c: workflow.check(p, by=u, version=_v(c), met=c["met"]),
            "遴选要点核对结果已保存",
            summary="核对遴选要点",
        ),
        Action(
            "submit",
            forms.SubmitForm,
            lambda p, u, c: workflow.submit(p, by=u, version=_v(c), on=c["on"], number=c["number"]),
            "已登记推送市药监局",
            summary="登记推送市药品监督管理局（日期、文号）",
        ),
        Action(
            "coach",
            forms.CoachForm,
            lambda p, u, c: workflow.coach(
                p, by=u, version=_v(c), on=c["on"], coach=c["coach"], notes=c["notes"]
            ),
            "答辩辅导已登记",
            summary="登记一次答辩辅导",
        ),
        Action(
            "approve",
            forms.DecideForm,
            lambda p, u, c: workflow.decide(
                p, by=u, version=_v(c), passed=True, on=c["on"], note=c["note"]
            ),
            "已登记结果：通过",
            summary="登记结果：通过",
        ),
        Action(
            "reject",
            forms.DecideForm,
            lambda p, u, c: workflow.decide(
                p, by=u, version=_v(c), passed=False, on=c["on"], note=c["note"]
            ),
            "已登记结果：未通过",
            summary="登记结果：未通过",
        ),
    ],
)
