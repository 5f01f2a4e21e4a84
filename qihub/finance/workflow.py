"""A finance referral's steps (OPS-5), followed up like a demand on the one workflow mechanism
(ADR 0009): the enterprise applies (clock `finance_referral`, 3 working days, starts); staff pass
it to the product's provider (clock stops), record each follow-up, and keep the outcome. The
enterprise may withdraw while it is open."""

from typing import Any

import rules
from django.db.models import QuerySet

from qihub.accounts.roles import is_enterprise, is_handler, is_staff_member
from qihub.core.numbering import next_number
from qihub.core.workflow import Workflow, WorkflowError, move
from qihub.finance.models import FinanceProduct, Referral, ReferralEvent
from qihub.finance.models import ReferralStatus as S
from qihub.notifications.outbox import notify


@rules.predicate
def is_applicant(user: Any, referral: Referral | None) -> bool:
    return referral is not None and referral.enterprise_id == getattr(user, "pk", None)


HANDLE = "只有平台工作人员可以跟进金融对接申请"
OPEN = {S.RECEIVED, S.REFERRED, S.FOLLOWING}
FOLLOWED = {S.REFERRED, S.FOLLOWING}

FLOW: Workflow[Referral] = Workflow(
    Referral,
    events=ReferralEvent,
    subject="referral",
    moves=[
        move(
            "apply",
            "提交对接申请",
            is_enterprise,
            {None},
            S.RECEIVED,
            starts=("finance_referral",),
            event="applied",
            refusal="只有企业用户可以申请金融服务对接",
        ),
        move(
            "refer",
            "转介金融机构",
            is_handler,
            {S.RECEIVED},
            S.REFERRED,
            stops=("finance_referral",),
            event="referred",
            refusal=HANDLE,
        ),
        move(
            "follow_up",
            "登记跟进",
            is_handler,
            FOLLOWED,
            S.FOLLOWING,
            event="followed_up",
            refusal=HANDLE,
        ),
        move("loaned", "登记已放款", is_handler, FOLLOWED, S.LOANED, refusal=HANDLE),
        move("declined", "登记未获批", is_handler, FOLLOWED, S.DECLINED, refusal=HANDLE),
        move(
            "withdraw",
            "撤回申请",
            is_applicant,
            OPEN,
            S.WITHDRAWN,
            stops=("finance_referral",),
            event="withdrawn",
            refusal="只有申请企业本身可以撤回申请",
        ),
    ],
)


def apply(product: FinanceProduct, *, by: Any, data: dict) -> Referral:
    with FLOW.create("apply", by=by) as step:
        if not product.active:
            raise WorkflowError("该金融产品暂停受理申请")
        step.record = Referral.objects.create(
            number=next_number("JR", at=step.at),
            product=product,
            enterprise=by,
            amount=data.get("amount"),
            purpose=data["purpose"],
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
            status=step.target,
        )
    return step.record


def take(referral: Referral, action: str, *, by: Any, version: int | None, note: str) -> None:
    """Any move after applying: the note is kept in the history (and as the outcome's reason)."""
    with FLOW.step(referral, action, by=by, version=version, note=note) as step:
        if action in ("loaned", "declined", "withdraw"):
            step.set(outcome_note=note)
        if action != "withdraw":
            notify(
                [step.record.enterprise],
                f"金融对接申请 {step.record.number}：{FLOW[action].label}",
                note,
                dedupe_key=f"referral-{step.record.pk}-{action}-{step.record.version}",
            )


def visible_referrals(user: Any) -> QuerySet[Referral]:
    rows = Referral.objects.select_related("product", "enterprise")
    if not getattr(user, "is_authenticated", False):
        return rows.none()
    if is_staff_member(user):
        return rows
    return rows.filter(enterprise=user)


def to_handle(user: Any) -> QuerySet[Referral]:
    """The staff's due list: requests not yet concluded."""
    if not is_handler(user):
        return Referral.objects.none()
    return Referral.objects.filter(status__in=OPEN)


def my_open(user: Any) -> QuerySet[Referral]:
    return Referral.objects.filter(enterprise=user, status__in=OPEN)
