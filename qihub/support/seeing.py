"""See the platform as a request's submitter sees it (OPS-1), read-only and audited.

The honest minimum: the submitter's workbench cards with their to-do counts, computed exactly as
the workbench computes them for that user, without logging in as them and without any way to act
on their behalf. Every look is written to the audit log (who looked at whose view, for which
request)."""

from typing import Any

from qihub.accounts.models import User
from qihub.accounts.workbench import cards_for
from qihub.core import audit
from qihub.support.models import SupportRequest

AUDIT_ACTION = "support_view_as"


def seen_as(user: User, *, by: Any, case: SupportRequest) -> dict:
    audit.record(by, AUDIT_ACTION, user, reason=f"技术支持 {case.number}：查看用户所见")
    return {
        "user": user,
        "role_label": user.get_role_display(),
        "cards": cards_for(user),
    }
