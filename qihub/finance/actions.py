"""The referral's actions, one table for the pages (/finance/referrals/<number>/<action>/) and the
API (/api/v1/finance/referrals/<number>/<action>) (ADR 0009). Applying lives on the product's
page and `POST /api/v1/finance/products/{pk}/referrals`."""

from typing import Any

from django.utils import timezone

from qihub.core.actions import Action, ActionTable
from qihub.deadlines.queries import describe as clock_reading
from qihub.deadlines.queries import open_clock
from qihub.finance import forms, workflow
from qihub.finance.models import Referral


def visible(user: Any, number: str) -> Referral | None:
    return workflow.visible_referrals(user).filter(number=number).first()


def describe(referral: Referral, user: Any) -> dict:
    clock = clock_reading(open_clock(referral, "finance_referral"), timezone.now())
    return {
        "number": referral.number,
        "product": referral.product_id,
        "product_name": referral.product.name,
        "provider": referral.product.provider,
        "enterprise": referral.enterprise.party_name,
        "amount": str(referral.amount) if referral.amount is not None else None,
        "purpose": referral.purpose,
        "status": referral.status,
        "status_label": referral.get_status_display(),
        "outcome_note": referral.outcome_note,
        "due_at": clock["due_at"].isoformat() if clock else None,
        "version": referral.version,
    }


def _run(action: str) -> Any:
    return lambda r, u, c: workflow.take(
        r, action, by=u, version=c.get("version"), note=c.get("note", "")
    )


ACTIONS = ActionTable(
    workflow.FLOW,
    lookup=visible,
    detail="finance:referral",
    describe=describe,
    actions=[
        Action(
            "refer",
            forms.NoteForm,
            _run("refer"),
            "已转介金融机构",
            summary="将对接申请转介给金融机构（写明对接人或方式）",
        ),
        Action(
            "follow_up", forms.NoteForm, _run("follow_up"), "已登记跟进", summary="登记一次跟进情况"
        ),
        Action(
            "loaned",
            forms.OptionalNoteForm,
            _run("loaned"),
            "已登记放款",
            summary="登记结果：已放款（或已承保）",
        ),
        Action(
            "declined",
            forms.NoteForm,
            _run("declined"),
            "已登记未获批",
            summary="登记结果：未获批（须写原因）",
        ),
        Action(
            "withdraw",
            forms.OptionalNoteForm,
            _run("withdraw"),
            "申请已撤回",
            summary="企业撤回对接申请",
        ),
    ],
)
