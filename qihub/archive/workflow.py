"""Every change of an archive access grant goes through here (ARC-3), on the one workflow
mechanism (`qihub.core.workflow`, ADR 0009): a staff member requests access with a reason and a
period; the operator head grants or refuses it."""

import datetime as dt
from typing import Any

import rules
from django.db.models import QuerySet

from qihub.accounts.models import Organisation, Role, User
from qihub.accounts.roles import DECIDERS, is_staff_member
from qihub.archive.models import AccessGrant, AccessGrantEvent, AccessStatus
from qihub.core.numbering import next_number
from qihub.core.workflow import Workflow, WorkflowError, move
from qihub.notifications.outbox import notify
from qihub.workcal.calendar import TZ

S = AccessStatus
HEAD_PERMISSION = "archive.decide_access"
# The longest period one grant may cover: access is for a task, not standing.
LONGEST = dt.timedelta(days=90)


@rules.predicate
def is_operator_head(user: User) -> bool:
    """运营机构负责人: an operator (or administrator) holding the decide permission."""
    return getattr(user, "role", None) in DECIDERS and user.has_perm(HEAD_PERMISSION)


def heads() -> QuerySet:
    from django.db.models import Q

    return User.objects.filter(
        Q(is_superuser=True)
        | Q(user_permissions__codename="decide_access")
        | Q(groups__permissions__codename="decide_access"),
        role__in=DECIDERS,
        is_active=True,
    ).distinct()


def staff_pledge_valid(user: User) -> bool:
    """TRN-2: no access to enterprise records without a valid confidentiality pledge."""
    from qihub.training.pledges import bound_by_pledge, has_valid_pledge

    return not bound_by_pledge(user) or has_valid_pledge(user)


FLOW: Workflow[AccessGrant] = Workflow(
    AccessGrant,
    events=AccessGrantEvent,
    subject="grant",
    stale="该查阅申请已被处理，请刷新页面查看最新状态",
    moves=[
        move(
            "request",
            "申请查阅",
            is_staff_member,
            {None},
            S.REQUESTED,
            event="requested",
            refusal="只有平台工作人员可以申请查阅企业质量档案",
        ),
        move(
            "grant",
            "批准查阅",
            is_operator_head,
            {S.REQUESTED},
            S.GRANTED,
            event="granted",
            refusal="只有运营机构负责人可以审批档案查阅",
        ),
        move(
            "refuse",
            "不予批准",
            is_operator_head,
            {S.REQUESTED},
            S.REFUSED,
            event="refused",
            refusal="只有运营机构负责人可以审批档案查阅",
        ),
    ],
)


def today(at: dt.datetime | None = None) -> dt.date:
    from django.utils import timezone

    return (at or timezone.now()).astimezone(TZ).date()


def request_access(
    *,
    by: User,
    enterprise: Organisation,
    reason: str,
    period_from: dt.date,
    period_to: dt.date,
) -> AccessGrant:
    with FLOW.create("request", by=by) as step:
        if enterprise.account.role != Role.ENTERPRISE:
            raise WorkflowError("企业：只能申请查阅企业的质量档案")
        if not reason.strip():
            raise WorkflowError("查阅事由：必须填写")
        if period_to < period_from:
            raise WorkflowError("查阅期限止：不能早于查阅期限起")
        if period_to < today(step.at):
            raise WorkflowError("查阅期限止：不能早于今天")
        if period_to - period_from > LONGEST:
            raise WorkflowError("查阅期限：一次最长 90 天")
        if not staff_pledge_valid(by):
            raise WorkflowError("您尚未签署有效的保密承诺书，不能申请查阅企业档案")
        grant = AccessGrant.objects.create(
            number=next_number("CY", step.at),
            enterprise=enterprise,
            requester=by,
            reason=reason.strip()[:300],
            period_from=period_from,
            period_to=period_to,
            status=step.target,
            created_at=step.at,
        )
        step.record = grant
        period = f"{period_from:%Y-%m-%d} 至 {period_to:%Y-%m-%d}"
        step.note = f"申请查阅{enterprise.name}的质量档案（{period}）：{grant.reason}"
        notify(
            list(heads()),
            f"档案查阅申请：{grant.number}",
            f"{by.shown_name} 申请查阅{enterprise.name}的质量档案，事由：{grant.reason}",
            now=step.at,
        )
    return grant


def decide(grant: AccessGrant, *, by: User, action: str, note: str) -> AccessGrant:
    with FLOW.step(grant, action, by=by) as step:
        if step.record.requester_id == by.pk:
            raise WorkflowError("不能审批本人的查阅申请")
        if action == "refuse" and not note.strip():
            raise WorkflowError("审批意见：不予批准时必须填写理由")
        step.set(decided_by=by, decided_at=step.at, decision_note=note.strip()[:300])
        step.note = note.strip()[:300]
        word = "已批准" if action == "grant" else "未获批准"
        notify(
            [step.record.requester],
            f"档案查阅申请{word}：{step.record.number}",
            f"您查阅{step.record.enterprise.name}质量档案的申请{word}。{step.note}",
            now=step.at,
        )
    return step.record


def visible_grants(user: Any) -> QuerySet:
    """A head sees every request; a staff member their own; others none."""
    if not getattr(user, "is_authenticated", False):
        return AccessGrant.objects.none()
    rows = AccessGrant.objects.select_related("enterprise", "requester", "decided_by")
    if is_operator_head(user):
        return rows
    return rows.filter(requester=user)


def valid_grant(user: User, enterprise: Organisation) -> AccessGrant | None:
    """The grant under which this user may read this enterprise's archive today, if any."""
    day = today()
    return (
        AccessGrant.objects.filter(
            requester=user,
            enterprise=enterprise,
            status=S.GRANTED,
            period_from__lte=day,
            period_to__gte=day,
        )
        .order_by("-period_to")
        .first()
    )
