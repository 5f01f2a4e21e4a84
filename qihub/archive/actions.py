"""The access grant's one action table (ARC-3): the page routes and the API routes
(/api/v1/archive/grants/<number>/<action>) from the same rows (ADR 0009)."""

from typing import Any

from qihub.archive import forms, workflow
from qihub.archive.models import AccessGrant
from qihub.core.actions import Action, ActionTable


def visible(user: Any, number: str) -> AccessGrant | None:
    return workflow.visible_grants(user).filter(number=number).first()


def describe(grant: AccessGrant, user: Any) -> dict:
    return {
        "number": grant.number,
        "enterprise": grant.enterprise.name,
        "enterprise_id": grant.enterprise_id,
        "requester": grant.requester.shown_name,
        "reason": grant.reason,
        "period_from": grant.period_from.isoformat(),
        "period_to": grant.period_to.isoformat(),
        "status": grant.status,
        "status_label": grant.get_status_display(),
        "valid_today": grant.valid_on(workflow.today()),
        "decided_by": grant.decided_by.shown_name if grant.decided_by else None,
        "decision_note": grant.decision_note,
        "actions": sorted(a for a, ok in ACTIONS.buttons(user, grant).items() if ok),
    }


ACTIONS = ActionTable(
    workflow.FLOW,
    lookup=visible,
    detail="archive:detail",
    describe=describe,
    actions=[
        Action(
            "grant",
            forms.DecideForm,
            lambda g, u, d: workflow.decide(g, by=u, action="grant", note=d["note"]),
            "已批准查阅，申请人在期限内可查阅该企业档案",
            summary="运营机构负责人批准查阅（note=审批意见，可选）",
        ),
        Action(
            "refuse",
            forms.DecideForm,
            lambda g, u, d: workflow.decide(g, by=u, action="refuse", note=d["note"]),
            "已不予批准",
            summary="运营机构负责人不予批准（note=理由，必填）",
        ),
    ],
)
