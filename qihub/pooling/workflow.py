"""Every change of a pooled batch goes through here (DEM-13), on the one workflow mechanism
(`qihub.core.workflow`, ADR 0009).

An operator (or station staff within their scope) pools several enterprises' similar open
demands into one batch for one institution; the institution offers one of its services at a
price per enterprise with a period, or turns the batch down; each enterprise then accepts (and
gets its own order from its own demand, so its own report) or declines. The members' answers are
taken by the batch's table, so the batch's history shows every answer; a declined member's
demand is left untouched in its normal flow.

Clocks: `pool_offer` (3 working days) runs on the batch from pooling to the institution's answer;
`pool_answer` (5 working days) runs on each member from the offer to the enterprise's answer.
"""

import datetime as dt
from decimal import Decimal

import rules
from django.db.models import Q

from qihub.accounts.models import MemberKind, Organisation, User
from qihub.accounts.roles import is_handler, is_institution
from qihub.core.numbering import next_number
from qihub.core.workflow import Step, Workflow, WorkflowError, move
from qihub.deadlines import workflow as clocks
from qihub.deadlines.queries import open_clock
from qihub.demands.models import Demand
from qihub.demands.workflow import POOLABLE
from qihub.institutions.models import InstitutionService
from qihub.notifications.outbox import notify
from qihub.pooling.models import Answer, Batch, BatchEvent, BatchMember, BatchStatus

S = BatchStatus
OFFER_CLOCK = "pool_offer"
ANSWER_CLOCK = "pool_answer"
ACTIVE = frozenset({S.OFFERING, S.OFFERED})
MIN_MEMBERS = 2


@rules.predicate
def is_batch_institution(user: User, batch: Batch | None) -> bool:
    return batch is not None and batch.institution.account_id == user.pk


@rules.predicate
def is_waiting_member(user: User, batch: Batch | None) -> bool:
    """The enterprise of a member that has not answered yet."""
    return batch is not None and pending_member(batch, user) is not None


FLOW: Workflow[Batch] = Workflow(
    Batch,
    events=BatchEvent,
    subject="batch",
    stale="该批次已被他人处理，请刷新页面查看最新状态后再操作",
    moves=[
        move(
            "create",
            "打包需求",
            is_handler,
            {None},
            S.OFFERING,
            starts=(OFFER_CLOCK,),
            event="created",
            refusal="只有平台工作人员或站点人员可以打包需求",
        ),
        move(
            "offer",
            "报出批量价格",
            is_institution & is_batch_institution,
            {S.OFFERING},
            S.OFFERED,
            stops=(OFFER_CLOCK,),
            event="offered",
            refusal="只有承接该批次的机构可以报价",
        ),
        move(
            "turn_down",
            "不承接",
            is_institution & is_batch_institution,
            {S.OFFERING},
            S.DECLINED,
            stops=(OFFER_CLOCK,),
            event="turned_down",
            refusal="只有承接该批次的机构可以答复",
        ),
        move(
            "cancel",
            "撤销批次",
            is_handler,
            ACTIVE,
            S.CANCELLED,
            stops=(OFFER_CLOCK,),
            event="cancelled",
            refusal="只有平台工作人员或站点人员可以撤销批次",
        ),
        move(
            "accept",
            "接受批量报价",
            is_waiting_member,
            {S.OFFERED},
            event="accepted",
            refusal="只有批次中尚未答复的需求提出企业可以接受批量报价",
        ),
        move(
            "decline",
            "谢绝批量报价",
            is_waiting_member,
            {S.OFFERED},
            event="declined",
            refusal="只有批次中尚未答复的需求提出企业可以谢绝批量报价",
        ),
    ],
)


def pending_member(batch: Batch, user: User) -> BatchMember | None:
    return (
        batch.members.filter(demand__client_id=user.pk, answer=Answer.PENDING)
        .select_related("demand")
        .first()
    )


def in_active_batch() -> Q:
    """Demands already in a batch still being offered or answered, or accepted from one."""
    return Q(
        batch_memberships__batch__status__in=ACTIVE,
        batch_memberships__answer__in=[Answer.PENDING, Answer.ACCEPTED],
    )


def create(
    *, by: User, title: str, institution: Organisation, demands: list[Demand], note: str = ""
) -> Batch:
    """Pool the demands (of different enterprises, one each) into a batch for the institution."""
    with FLOW.create("create", by=by) as step:
        if not title.strip():
            raise WorkflowError("批次名称：必须填写")
        if institution.kind != MemberKind.INSTITUTION or institution.deregistered_at:
            raise WorkflowError("承接机构：须为在册的服务机构")
        demands = list({d.pk: d for d in demands}.values())
        if len(demands) < MIN_MEMBERS:
            raise WorkflowError(f"需求：请至少勾选 {MIN_MEMBERS} 项相似需求")
        visible = set(
            Demand.objects.visible_to(by)
            .filter(pk__in=[d.pk for d in demands])
            .values_list("pk", flat=True)
        )
        clients: set[int] = set()
        locked = Demand.objects.select_for_update().filter(pk__in=[d.pk for d in demands])
        for demand in locked:
            if demand.pk not in visible:
                raise WorkflowError(f"需求：{demand.number} 不在您的服务范围内")
            if demand.status not in POOLABLE or demand.client_id is None:
                raise WorkflowError(
                    f"需求：{demand.number} 当前状态（{demand.get_status_display()}）不能打包"
                )
            if demand.client_id in clients:
                raise WorkflowError(
                    f"需求：{demand.number} 与另一项需求属于同一企业，每家企业只选一项"
                )
            clients.add(demand.client_id)
        busy = Demand.objects.filter(pk__in=visible).filter(in_active_batch()).first()
        if busy is not None:
            raise WorkflowError(f"需求：{busy.number} 已在其他打包批次中")
        categories = {d.category for d in locked}
        if len(categories) > 1:
            raise WorkflowError("需求：所选需求的服务类别不一致，不能打包在一起")
        batch = Batch.objects.create(
            number=next_number("PB", step.at),
            title=title.strip(),
            institution=institution,
            created_by=by,
            note=note.strip(),
            status=step.target,
            created_at=step.at,
        )
        for demand in locked:
            BatchMember.objects.create(batch=batch, demand=demand)
        step.record = batch
        step.note = f"打包 {len(demands)} 家企业的相似需求，交 {institution.name} 报价"
        notify(
            [institution.account],
            f"新的批量委托：{batch.number}",
            f"{batch.title}：{len(demands)} 家企业的相似需求，请报出每家企业的批量价格与服务周期。",
            now=step.at,
        )
    return batch


def offer(
    batch: Batch,
    *,
    by: User,
    service: InstitutionService,
    price: Decimal,
    period_days: int,
    note: str = "",
    version: int | None = None,
) -> Batch:
    """The institution's offer: one of its services, a price per enterprise and a period."""
    from qihub.orders.workflow import why_not_orderable

    with FLOW.step(batch, "offer", by=by, version=version) as step:
        record = step.record
        if service.organisation_id != record.institution_id:
            raise WorkflowError("服务项目：不是本机构的服务项目")
        reason = why_not_orderable(service)
        if reason:
            raise WorkflowError(f"服务项目：{reason}")
        if price is None or price < 0:
            raise WorkflowError("批量价格：不能为负数")
        if not 1 <= period_days <= 365:
            raise WorkflowError("服务周期：应在 1–365 个工作日之间")
        step.set(
            service=service,
            price=price,
            period_days=period_days,
            offer_note=note.strip()[:500],
            offered_at=step.at,
        )
        step.note = f"{service.name}，每家企业 ¥{price:,.2f}，服务周期 {period_days} 个工作日"
        members = list(record.members.select_related("demand__client"))
        for member in members:
            clocks.start_clock(ANSWER_CLOCK, member, owner=member.demand.client, at=step.at)
        notify(
            [m.demand.client for m in members if m.demand.client],
            f"您的需求收到批量报价：{record.number}",
            f"{record.institution.name} 对“{record.title}”报价每家 ¥{price:,.2f}，"
            f"服务周期 {period_days} 个工作日，请在需求页面接受或谢绝。",
            now=step.at,
        )
    return step.record


def turn_down(batch: Batch, *, by: User, reason: str, version: int | None = None) -> Batch:
    with FLOW.step(batch, "turn_down", by=by, version=version) as step:
        if not reason.strip():
            raise WorkflowError("不承接原因：必须填写")
        step.set(decline_reason=reason.strip()[:300])
        step.note = f"机构不承接：{reason.strip()[:200]}"
        notify(
            [step.record.created_by],
            f"批次 {step.record.number} 机构不承接",
            reason.strip()[:200],
            now=step.at,
        )
    return step.record


def cancel(batch: Batch, *, by: User, reason: str, version: int | None = None) -> Batch:
    """Staff call the batch off; unanswered members' clocks stop, their demands stay as they are."""
    with FLOW.step(batch, "cancel", by=by, version=version) as step:
        if not reason.strip():
            raise WorkflowError("撤销原因：必须填写")
        for member in step.record.members.filter(answer=Answer.PENDING):
            _stop_answer_clock(member, step)
        step.note = f"撤销批次：{reason.strip()[:200]}"
    return step.record


def _stop_answer_clock(member: BatchMember, step: Step[Batch]) -> None:
    clock = open_clock(member, ANSWER_CLOCK)
    if clock is not None:
        clocks.stop_clock(clock, by=step.by, at=step.at, note=step.move.label)


def accept(batch: Batch, *, by: User, version: int | None = None) -> BatchMember:
    """The enterprise accepts: its own order is placed from its own demand at the batch price."""
    from qihub.orders import workflow as orders

    with FLOW.step(batch, "accept", by=by, version=version) as step:
        member = _pending(step.record, by)
        order = orders.place(
            client=by,
            service=step.record.service,
            description=f"批量委托 {step.record.number}：{member.demand.title}",
            demand=member.demand,
            at=step.at,
            batch=step.record,
        )
        member.answer, member.answered_at, member.order = Answer.ACCEPTED, step.at, order
        member.save(update_fields=["answer", "answered_at", "order"])
        _stop_answer_clock(member, step)
        step.note = (
            f"{_party(by)} 接受批量报价（需求 {member.demand.number}），已生成订单 {order.number}"
        )
        step.versioned = True
    return member


def decline(batch: Batch, *, by: User, reason: str = "", version: int | None = None) -> BatchMember:
    """The enterprise declines: its demand goes on in the normal flow, untouched."""
    with FLOW.step(batch, "decline", by=by, version=version) as step:
        member = _pending(step.record, by)
        member.answer, member.answered_at = Answer.DECLINED, step.at
        member.decline_reason = reason.strip()[:300]
        member.save(update_fields=["answer", "answered_at", "decline_reason"])
        _stop_answer_clock(member, step)
        step.note = f"{_party(by)} 谢绝批量报价（需求 {member.demand.number}）" + (
            f"：{reason.strip()[:200]}" if reason.strip() else ""
        )
        step.versioned = True
    return member


def _pending(batch: Batch, user: User) -> BatchMember:
    member = pending_member(batch, user)
    if member is None:  # answered meanwhile (the predicate saw it pending)
        raise WorkflowError("您已答复过该批量报价")
    return member


def _party(user: User) -> str:
    return user.party_name


def answer_due(member: BatchMember) -> dt.datetime | None:
    clock = open_clock(member, ANSWER_CLOCK)
    return clock.due_at if clock is not None else None
