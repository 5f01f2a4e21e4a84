"""The qualification change request's actions, one table for the pages
(/qualification-changes/<number>/<action>/) and the API
(/api/v1/qualification-changes/<number>/<action>): same form, same workflow call, same decision."""

from typing import Any

from qihub.accounts.roles import is_back_office
from qihub.core.actions import Action, ActionTable
from qihub.institutions import forms, workflow
from qihub.institutions.models import QualificationChange


def visible(user: Any, number: str) -> QualificationChange | None:
    """The back office sees every request; an institution only its own."""
    if not getattr(user, "is_authenticated", False):
        return None
    change = (
        QualificationChange.objects.select_related("organisation", "qualification")
        .filter(number=number)
        .first()
    )
    if change is None:
        return None
    if is_back_office(user) or change.organisation.account_id == user.pk:
        return change
    return None


def summary(change: QualificationChange, user: Any = None) -> dict:
    return {
        "number": change.number,
        "organisation": change.organisation.name,
        "kind": change.kind,
        "kind_label": change.get_kind_display(),
        "status": change.status,
        "status_label": change.get_status_display(),
        "version": change.version,
        "qualification": (
            {
                "id": change.qualification.pk,
                "type": change.qualification.type,
                "number": change.qualification.number,
                "valid_until": change.qualification.valid_until.isoformat(),
            }
            if change.qualification
            else None
        ),
        "type": change.type,
        "certificate_number": change.certificate_number,
        "valid_from": change.valid_from.isoformat() if change.valid_from else None,
        "valid_until": change.valid_until.isoformat() if change.valid_until else None,
        "new_lines": change.new_lines,
        "retired_lines": [line.pk for line in change.retired_lines.all()],
        "reason": change.reason,
        "decision_note": change.decision_note,
        "submitted_at": change.submitted_at.isoformat(),
        "decided_at": change.decided_at.isoformat() if change.decided_at else None,
    }


ACTIONS = ActionTable(
    workflow.CHANGES,
    lookup=visible,
    detail="institutions:qualification_change",
    describe=summary,
    actions=[
        Action(
            "approve",
            forms.ApproveChangeForm,
            lambda c, u, d: workflow.approve_change(c, by=u, note=d["note"], version=d["version"]),
            "已审核通过，资质与能力范围已更新",
            summary="审核通过资质变更申请（note 可选，version）",
        ),
        Action(
            "return",
            forms.ReturnChangeForm,
            lambda c, u, d: workflow.return_change(
                c, by=u, reason=d["reason"], version=d["version"]
            ),
            "已退回，并已通知机构",
            summary="退回资质变更申请（reason 必填，version）",
        ),
        Action(
            "withdraw_request",
            forms.WithdrawRequestForm,
            lambda c, u, d: workflow.withdraw_request(
                c, by=u, note=d["note"], version=d["version"]
            ),
            "申请已撤销",
            page="withdraw-request",
            api="withdraw-request",
            summary="机构撤销尚未审核的资质变更申请（note 可选，version）",
        ),
    ],
)
