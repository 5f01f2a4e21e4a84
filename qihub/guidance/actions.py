"""The declaration's actions, one table for the pages (/guidance/declarations/<number>/<action>/)
and the API (/api/v1/guidance/declarations/<number>/<action>): same form, same workflow call
(ADR 0009). Starting a declaration lives on the window's page and
`POST /api/v1/guidance/windows/{pk}/declare` (`views.window`, `api`)."""

from typing import Any

from qihub.accounts.roles import is_staff_member
from qihub.core.actions import Action, ActionTable
from qihub.guidance import forms, workflow
from qihub.guidance.models import Declaration


def visible(user: Any, number: str) -> Declaration | None:
    """The declaring enterprise, and the platform's staff who follow declarations."""
    if not getattr(user, "is_authenticated", False):
        return None
    found = Declaration.objects.select_related("window", "enterprise").filter(number=number)
    if not is_staff_member(user):
        found = found.filter(enterprise=user)
    return found.first()


def describe(declaration: Declaration, user: Any) -> dict:
    window = declaration.window
    return {
        "number": declaration.number,
        "window": window.pk,
        "window_title": window.title,
        "kind": window.kind,
        "kind_label": window.get_kind_display(),
        "closes_on": window.closes_on.isoformat(),
        "enterprise": declaration.enterprise.party_name,
        "status": declaration.status,
        "status_label": declaration.get_status_display(),
        "met": declaration.met,
        "unmet": declaration.unmet,
        "result_note": declaration.result_note,
        "version": declaration.version,
    }


def _version(c: dict) -> int | None:
    return c.get("version")


ACTIONS = ActionTable(
    workflow.FLOW,
    lookup=visible,
    detail="guidance:declaration",
    describe=describe,
    actions=[
        Action(
            "recheck",
            forms.RecheckForm,
            lambda d, u, c: workflow.recheck(d, by=u, version=_version(c), met=c["met"]),
            "自查结果已更新",
            summary="更新对照申报条件的自查结果",
        ),
        Action(
            "submit",
            forms.VersionForm,
            lambda d, u, c: workflow.submit(d, by=u, version=_version(c)),
            "已登记为已提交",
            summary="登记申报材料已提交",
        ),
        Action(
            "review",
            forms.VersionForm,
            lambda d, u, c: workflow.review(d, by=u, version=_version(c)),
            "已登记为评审中",
            summary="登记申报进入评审",
        ),
        Action(
            "approve",
            forms.ApproveForm,
            lambda d, u, c: workflow.decide(
                d, by=u, version=_version(c), passed=True, note=c["note"]
            ),
            "已登记评审通过",
            summary="登记评审结果：通过",
        ),
        Action(
            "reject",
            forms.RejectForm,
            lambda d, u, c: workflow.decide(
                d, by=u, version=_version(c), passed=False, note=c["note"]
            ),
            "已登记评审未通过",
            summary="登记评审结果：未通过（须写原因）",
        ),
    ],
)
