"""Every change of a demand's status goes through here (DEM-1 … DEM-9), on the one workflow
mechanism (`qihub.core.workflow`): the table below says who may take which move from which status
and which clocks it stops; each function is the body of one step (its fields, checks and
notifications). Two staff acting on the same demand: the second gets "已被他人处理".
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

import rules
from django.db import transaction

from qihub.accounts import callers
from qihub.accounts.models import Document, MemberKind, Organisation, Role, User
from qihub.accounts.roles import is_client, is_field_staff, is_handler
from qihub.core import regions
from qihub.core.numbering import next_number
from qihub.core.workflow import Workflow, WorkflowError, move
from qihub.deadlines.models import ClockState
from qihub.deadlines.queries import clocks_for
from qihub.demands.models import (
    OPEN_STATUSES,
    Channel,
    ContactKind,
    ContactLog,
    Demand,
    DemandEvent,
    DemandStatus,
    OutsideReferral,
    Recommendation,
    RecommendedInstitution,
    ServiceChange,
    Visit,
    default_follow_up_days,
)
from qihub.demands.queries import similar_open_demand
from qihub.demands.recommend import refresh_recommendation
from qihub.institutions.workflow import listed_institutions
from qihub.notifications.models import Channel as NotifyChannel
from qihub.notifications.outbox import notify
from qihub.workcal.calendar import TZ

RESPONSE_CLOCK = "demand_response"
RECOMMENDATION_CLOCK = "demand_recommendation"
BOTH_CLOCKS = (RESPONSE_CLOCK, RECOMMENDATION_CLOCK)
# DEM-7: while in service, the first responsible person contacts the client every
# `Demand.follow_up_days` working days; a follow-up or coordination record meets the point.
FOLLOW_UP_CLOCK = "demand_follow_up"
FOLLOW_UP_KINDS = frozenset({ContactKind.FOLLOW_UP, ContactKind.COORDINATION})
CHANGEABLE = {
    "title": "需求标题",
    "description": "需求描述",
    "product": "产品/样品",
    "standard": "依据标准",
    "wished_by": "期望完成日期",
}
S = DemandStatus
OPEN = frozenset(OPEN_STATUSES)
EDITABLE = frozenset({S.PUBLISHED, S.RESPONDED})
# Once an order is under way the client settles with the institution, not by withdrawing.
WITHDRAWABLE = OPEN - {S.IN_SERVICE}
# Open demands not yet in service may be pooled into a batch (DEM-13) and ordered from it.
POOLABLE = frozenset({S.PUBLISHED, S.RESPONDED, S.RECOMMENDED, S.REFERRED})
# The client may order from the sent shortlist: the first order puts the demand in service.
ORDERABLE = frozenset({S.RECOMMENDED, S.IN_SERVICE})
# A caller without an account reaches the platform by phone, by letter or at the window (现场).
CALLER_CHANNELS = frozenset({Channel.PHONE, Channel.LETTER, Channel.ON_SITE})
# Kept for the callers that read the old names; all of them are the core's errors.
DemandError = WorkflowError


@rules.predicate
def is_demand_client(user: User, demand: Demand | None) -> bool:
    # A caller's demand has no client until claimed: nobody (not even a visitor) matches None.
    return demand is not None and demand.client_id is not None and user.pk == demand.client_id


@rules.predicate
def is_recommended_institution(user: User, demand: Demand | None) -> bool:
    """An institution on the shortlist the client was sent."""
    return (
        demand is not None
        and user.role == Role.INSTITUTION
        and RecommendedInstitution.objects.filter(
            recommendation__demand=demand,
            recommendation__sent_at__isnull=False,
            included=True,
            organisation__account=user,
        ).exists()
    )


@rules.predicate
def is_serving_institution(user: User, demand: Demand | None) -> bool:
    """The institution of an order placed from this demand."""
    return (
        demand is not None
        and user.role == Role.INSTITUTION
        and demand.orders.filter(institution__account=user).exists()
    )


FLOW: Workflow[Demand] = Workflow(
    Demand,
    events=DemandEvent,
    subject="demand",
    stale="该需求已被他人处理，请刷新页面查看最新状态后再操作",
    claim_clocks=is_handler,  # whoever met a clock is answerable for it (CMP-4)
    kinds=dict(ContactKind.choices),
    moves=[
        move(
            "publish",
            "发布需求",
            is_client | is_handler,
            {None},
            S.PUBLISHED,
            starts=BOTH_CLOCKS,
            event="published",
            refusal="只有企业、个人用户或平台工作人员可以发布需求",
        ),
        move(
            "respond",
            "响应",
            is_handler,
            {S.PUBLISHED},
            S.RESPONDED,
            stops=(RESPONSE_CLOCK,),
            event="responded",
            refusal="只有平台工作人员可以响应需求",
        ),
        move(
            "reassign",
            "变更第一受理人",
            is_handler,
            OPEN,
            event="reassigned",
            refusal="只有平台工作人员可以变更第一受理人",
        ),
        move(
            "shortlist",
            "编辑推荐名单",
            is_handler,
            EDITABLE,
            event="shortlist_edited",
            refusal="只有平台工作人员可以编辑推荐名单",
        ),
        move(
            "send",
            "发送推荐",
            is_handler,
            EDITABLE,
            S.RECOMMENDED,
            stops=BOTH_CLOCKS,
            event="recommended",
            refusal="只有平台工作人员可以发送推荐",
        ),
        move(
            "refer",
            "登记平台外查找",
            is_handler,
            EDITABLE,
            S.REFERRED,
            stops=BOTH_CLOCKS,
            event="referred",
            refusal="只有平台工作人员可以登记平台外查找",
        ),
        move(
            "contact",
            "添加记录",
            is_handler | is_demand_client | is_recommended_institution,
            OPEN,
            refusal="您不是该需求的参与方",
        ),
        move(
            "change",
            "变更服务内容",
            is_handler | is_demand_client,
            OPEN,
            event="changed",
            refusal="只有需求提出人或平台工作人员可以变更服务内容",
        ),
        move(
            "order",
            "从推荐名单下单",
            is_demand_client,
            {S.RECOMMENDED},
            S.IN_SERVICE,
            event="ordered",
            refusal="只有需求提出人可以从推荐名单下单",
        ),
        # Taken inside the order's place step when the client accepts a pooled batch's offer
        # (DEM-13): the batch stands in for the shortlist.
        move(
            "pooled_order",
            "接受批量报价下单",
            is_demand_client,
            POOLABLE,
            S.IN_SERVICE,
            stops=BOTH_CLOCKS,
            event="ordered",
            refusal="只有需求提出人可以接受批量报价",
        ),
        # Taken by the order step that ends the demand's last open order.
        move(
            "complete",
            "服务完成",
            is_demand_client | is_serving_institution,
            {S.IN_SERVICE},
            S.COMPLETED,
            stops=(FOLLOW_UP_CLOCK,),
            event=S.COMPLETED,
            refusal="只有需求提出人或服务机构可以完成需求",
        ),
        move(
            "reopen",
            "订单均未履行，重新选择机构",
            is_demand_client | is_serving_institution,
            {S.IN_SERVICE},
            S.RECOMMENDED,
            stops=(FOLLOW_UP_CLOCK,),
            event="reopened",
            refusal="只有需求提出人或服务机构可以变更需求状态",
        ),
        move(
            "withdraw",
            "撤回",
            is_demand_client,
            WITHDRAWABLE,
            S.WITHDRAWN,
            stops=BOTH_CLOCKS,
            event=S.WITHDRAWN,
            refusal="只有需求提出人可以撤回需求",
        ),
        move(
            "close",
            "办结",
            is_handler,
            OPEN,
            S.CLOSED,
            stops=(*BOTH_CLOCKS, FOLLOW_UP_CLOCK),
            event=S.CLOSED,
            refusal="只有平台工作人员可以办结需求",
        ),
        # The green channel (DEM-14): the client asks for it when publishing; later, staff flag
        # or unflag it on the client's behalf, each with a reason in the history.
        move(
            "urgent",
            "转为加急（绿色通道）",
            is_handler,
            OPEN,
            event="urgent_flagged",
            refusal="只有平台工作人员或站点人员可以为需求申请加急",
        ),
        move(
            "unurgent",
            "取消加急",
            is_handler,
            OPEN,
            event="urgent_withdrawn",
            refusal="只有平台工作人员或站点人员可以取消加急",
        ),
        move("visit", "登记走访", is_field_staff, refusal="只有站点人员或平台工作人员可以登记走访"),
        # Any status: the record is the caller's whatever has happened to it meanwhile.
        move(
            "claim",
            "认领",
            callers.is_record_caller,
            event="claimed",
            refusal="只有以来电人手机号码注册的企业或个人用户可以认领",
        ),
    ],
)


class SimilarDemand(WorkflowError):
    """A new demand looks like one the client already has open; publish again to confirm."""

    def __init__(self, existing: Demand) -> None:
        self.existing = existing
        super().__init__(
            f"与您尚未办结的需求 {existing.number}“{existing.title}”高度相似，"
            "如确需另行发布，请勾选“仍然发布”后再提交"
        )


def _operators() -> list[User]:
    return list(User.objects.filter(role=Role.OPERATOR, is_active=True))


def _name(user: User) -> str:
    return user.party_name


@transaction.atomic
def publish(
    *,
    client: User | None,
    data: dict[str, Any],
    channel: str = Channel.ONLINE,
    entered_by: User | None = None,
    visit: Visit | None = None,
    documents: Iterable[Document] = (),
    allow_similar: bool = False,
    at: dt.datetime | None = None,
    caller: tuple[str, str] | None = None,
    link_base: str = "",
) -> Demand:
    """Publish a demand (DEM-1): online by the client, or entered by staff with the channel;
    for a caller without an account (`caller` = name, mobile) staff enter it by phone, letter
    or at the window and the caller is texted the number and a follow link (ADR 0012)."""
    with FLOW.create("publish", by=entered_by or client, at=at) as step:
        if caller is not None:
            if entered_by is None or not is_handler(entered_by):
                raise WorkflowError("需求提出人：无账户人员的需求由平台工作人员代录")
            if channel not in CALLER_CHANNELS:
                raise WorkflowError("来源渠道：无账户人员只能通过电话、信函或窗口登记")
        elif client is None or not is_client(client) or not client.verified_at:
            raise WorkflowError("需求提出人：须为已通过实名认证的企业或个人用户")
        if channel == Channel.ONLINE and entered_by is not None:
            raise WorkflowError(
                "来源渠道：工作人员代录时请选择电话、现场、电子邮件、信函等实际渠道"
            )
        if channel != Channel.ONLINE and (entered_by is None or not is_handler(entered_by)):
            raise WorkflowError("来源渠道：只有平台工作人员可以代录非网上渠道的需求")
        text = " ".join(
            str(data.get(k, "")) for k in ("title", "product", "standard", "description")
        )
        similar = similar_open_demand(client, text) if client is not None else None
        if similar and not allow_similar:
            raise SimilarDemand(similar)
        new_caller = callers.register(*caller) if caller is not None else None
        keys = (
            "category",
            "title",
            "description",
            "product",
            "standard",
            "region",
            "wished_by",
            "urgent",
            "urgent_reason",
        )
        if data.get("urgent") and not str(data.get("urgent_reason", "")).strip():
            raise WorkflowError("加急原因：申请加急时必须填写")
        demand = Demand.objects.create(
            number=next_number("XQ", step.at),
            client=client,
            client_organisation=Organisation.objects.filter(account=client).first()
            if client is not None
            else None,
            caller=new_caller.caller if new_caller else None,
            channel=channel,
            entered_by=entered_by,
            visit=visit,
            status=step.target,
            published_at=step.at,
            similar_to=similar,
            **{k: data[k] for k in keys if k in data},
        )
        if documents := list(documents):  # a new demand has none to compare with: no read
            demand.documents.add(*documents)
        step.record = demand
        how = Channel(channel).label + (f"，由{_name(entered_by)}代录" if entered_by else "")
        if new_caller:
            how += "，提出人无平台账户"
        step.note = (
            f"来源：{how}"
            + (f"；与 {similar.number} 相似，提出人确认另行发布" if similar else "")
            + (f"；申请加急（绿色通道）：{demand.urgent_reason}" if demand.urgent else "")
        )
    refresh_recommendation(demand, at=step.at)
    due = {c.code: c.due_at.astimezone(TZ) for c in clocks_for(demand)}
    if new_caller:
        callers.send_follow_sms(
            new_caller, what="服务需求", number=demand.number, link_base=link_base
        )
    notify(
        _clients(demand),
        f"需求 {demand.number} 已发布",
        f"平台将于 {due[RESPONSE_CLOCK]:%Y-%m-%d %H:%M} 前响应，"
        f"{due[RECOMMENDATION_CLOCK]:%Y-%m-%d %H:%M} 前推荐服务机构。",
        channels=[NotifyChannel.INBOX, NotifyChannel.SMS],
        now=step.at,
    )
    notify(
        _operators(),
        f"新需求待响应：{demand.number}",
        f"{demand.title}（{demand.get_category_display()}），请在 1 个工作日内响应。",
        now=step.at,
    )
    return demand


def _clients(demand: Demand) -> list[User]:
    """Whom to tell about the demand: its client, none while a caller has not claimed it (the
    caller follows it through the link texted on entry)."""
    return [demand.client] if demand.client is not None else []


def claim(demand: Demand, *, by: User) -> Demand:
    """The caller, now registered with the same mobile, takes the demand as its client."""
    with FLOW.step(demand, "claim", by=by) as step:
        if step.record.client_id is not None:
            raise WorkflowError("该需求已被认领")
        step.edit(client=by, client_organisation=Organisation.objects.filter(account=by).first())
        caller = step.record.caller
        if caller is None:
            raise WorkflowError("该记录不是无账户来电人的登记，无需认领")
        callers.claimed(caller, by=by, at=step.at)
        step.record.documents.filter(owner=step.record.entered_by).update(owner=by)
        step.note = f"无账户提出人注册后认领（{caller.mobile_masked}）"
    return step.record


def respond(demand: Demand, *, by: User, version: int | None, note: str = "") -> Demand:
    """The platform's first response (DEM-3); the responder becomes first responsible person."""
    with FLOW.step(demand, "respond", by=by, version=version, note=note or "已受理") as step:
        if by.retraining_since:
            raise WorkflowError("您已被列入待复训名单，复训合格前暂停受理新的需求")
        step.set(responded_at=step.at, responsible=by)
        step.clock_note = "平台已响应"
        # The recommendation clock's reminders now go to the first responsible person.
        clocks_for(step.record).filter(code=RECOMMENDATION_CLOCK, state=ClockState.RUNNING).update(
            owner=by
        )
        notify(
            _clients(step.record),
            f"需求 {step.record.number} 已受理",
            f"第一受理人：{_name(by)}。{note}".strip(),
            channels=[NotifyChannel.INBOX, NotifyChannel.SMS],
            now=step.at,
        )
    return step.record


def reassign(demand: Demand, *, to: User, by: User, version: int | None, reason: str) -> Demand:
    """Change the first responsible person (DEM-8); the client is told who it is now."""
    with FLOW.step(demand, "reassign", by=by, version=version) as step:
        demand = step.record
        if not is_handler(to) or not to.is_active:
            raise WorkflowError("新的第一受理人：须为在岗的平台或站点工作人员")
        if to.retraining_since:
            raise WorkflowError("新的第一受理人：该工作人员待复训，复训合格前暂停分配新的需求")
        if not reason.strip():
            raise WorkflowError("变更原因：必须填写")
        if demand.responsible_id == to.pk:
            raise WorkflowError("新的第一受理人与当前相同")
        before = demand.responsible
        step.edit(responsible=to)
        step.event_fields["concerning"] = before
        step.note = f"第一受理人由 {_name(before) if before else '（无）'} 变更为 {_name(to)}：{reason.strip()}"
        clocks_for(demand).filter(state=ClockState.RUNNING).update(owner=to)
        notify(
            _clients(demand),
            f"需求 {demand.number} 的第一受理人已变更",
            f"现由 {_name(to)} 负责跟进您的需求。原因：{reason.strip()}",
            channels=[NotifyChannel.INBOX, NotifyChannel.SMS],
            now=step.at,
        )
        notify([to], f"您已成为需求 {demand.number} 的第一受理人", demand.title, now=step.at)
    return step.record


def edit_shortlist(
    demand: Demand,
    *,
    by: User,
    version: int | None,
    included: set[int],
    add: Organisation | None = None,
) -> Recommendation:
    """The operator keeps, drops or adds institutions before sending (DEM-4)."""
    with FLOW.step(demand, "shortlist", by=by, version=version) as step:
        recommendation = step.record.recommendation
        for item in recommendation.items.all():
            if item.included != (item.organisation_id in included):
                item.included = item.organisation_id in included
                item.save(update_fields=["included"])
        if add is not None:
            if not listed_institutions().filter(pk=add.pk).exists():
                raise WorkflowError("添加机构：该机构未入驻或资质已失效，不能推荐")
            if recommendation.items.filter(organisation=add).exists():
                raise WorkflowError("添加机构：该机构已在推荐名单中")
            RecommendedInstitution.objects.create(
                recommendation=recommendation,
                organisation=add,
                rank=recommendation.items.count() + 1,
                score=0,
                reasons=[f"由{_name(by)}人工添加"],
                added_by_staff=True,
            )
        step.note = f"保留 {recommendation.items.filter(included=True).count()} 家机构"
    return recommendation


def _first_response(step: Any, note: str) -> None:
    """Sending a shortlist or an outside referral is also the first response."""
    if step.source == S.PUBLISHED:
        step.set(responded_at=step.at, responsible=step.by)
        step.clock_note = note


def send_recommendation(demand: Demand, *, by: User, version: int | None, note: str = "") -> Demand:
    """Send the confirmed shortlist to the client (DEM-4, DEM-5): stops the 3-day clock."""
    with FLOW.step(demand, "send", by=by, version=version) as step:
        demand = step.record
        items = list(
            demand.recommendation.items.filter(included=True).select_related(
                "organisation__account"
            )
        )
        if not items:
            raise WorkflowError("推荐名单为空：请至少保留一家机构，或登记平台外机构查找情况")
        _first_response(step, "推荐即响应")
        step.set(recommended_at=step.at)
        recommendation = demand.recommendation
        recommendation.sent_at, recommendation.sent_by = step.at, by
        recommendation.note = note.strip()[:500]
        recommendation.save(update_fields=["sent_at", "sent_by", "note"])
        step.note = "、".join(i.organisation.name for i in items)
        notify(
            _clients(demand),
            f"需求 {demand.number}：平台已为您推荐 {len(items)} 家服务机构",
            "请在“我的需求”中查看推荐理由并联系机构或直接下单。"
            + (f"说明：{note.strip()}" if note.strip() else ""),
            channels=[NotifyChannel.INBOX, NotifyChannel.SMS],
            now=step.at,
        )
        notify(
            [i.organisation.account for i in items],
            f"平台向企业推荐了贵机构：{demand.number}",
            f"{demand.title}（{regions.full_name(demand.region)}），请及时与企业联系。",
            now=step.at,
        )
    return step.record


def refer_outside(
    demand: Demand, *, by: User, version: int | None, searched: str, found: str, feedback: str
) -> OutsideReferral:
    """No platform institution fits (DEM-6): record the outside search and tell the client."""
    with FLOW.step(demand, "refer", by=by, version=version) as step:
        if not searched.strip():
            raise WorkflowError("查找经过：必须填写")
        if not feedback.strip():
            raise WorkflowError("反馈内容：必须填写")
        referral = OutsideReferral.objects.create(
            demand=step.record,
            searched=searched.strip(),
            found=found.strip(),
            feedback=feedback.strip(),
            by=by,
            at=step.at,
        )
        _first_response(step, "反馈即响应")
        step.set(recommended_at=step.at)
        step.note = found.strip() or "平台外查找"
        notify(
            _clients(step.record),
            f"需求 {step.record.number}：平台外机构查找结果",
            feedback.strip(),
            channels=[NotifyChannel.INBOX, NotifyChannel.SMS],
            now=step.at,
        )
    return referral


def log_contact(
    demand: Demand, *, by: User, kind: str, method: str, with_whom: str, summary: str
) -> ContactLog:
    """A contact, follow-up or coordination note (DEM-7, DEM-9)."""
    with FLOW.step(demand, "contact", by=by) as step:
        if not summary.strip():
            raise WorkflowError("沟通内容：必须填写")
        if not with_whom.strip():
            raise WorkflowError("沟通对象：必须填写")
        log = ContactLog.objects.create(
            demand=step.record,
            by=by,
            kind=kind,
            method=method.strip()[:20],
            with_whom=with_whom.strip()[:100],
            summary=summary.strip(),
        )
        step.kind, step.note = kind, summary.strip()[:200]
        if kind in FOLLOW_UP_KINDS and is_handler(by) and step.record.status == S.IN_SERVICE:
            _next_follow_up(step.record, by=by, at=step.at)
    return log


def _next_follow_up(demand: Demand, *, by: User | None, at: dt.datetime) -> None:
    """Meet the running follow-up point (if any) and schedule the next one for the first
    responsible person; the clock engine reminds them and escalates a lapse."""
    from qihub.deadlines.queries import open_clock
    from qihub.deadlines.workflow import start_clock, stop_clock

    clock = open_clock(demand, FOLLOW_UP_CLOCK)
    if clock is not None:
        stop_clock(clock, by=by, at=at, note="已跟踪回访")
    start_clock(FOLLOW_UP_CLOCK, demand, owner=demand.responsible, at=at, by=by)


def change_service(
    demand: Demand, *, by: User, version: int | None, changes: dict[str, Any], reason: str
) -> ServiceChange:
    """The client's needs changed (DEM-9): the demand moves on, the change is kept."""
    with FLOW.step(demand, "change", by=by, version=version) as step:
        demand = step.record
        if not reason.strip():
            raise WorkflowError("变更原因：必须填写")
        changed = {k: v for k, v in changes.items() if k in CHANGEABLE and getattr(demand, k) != v}
        if not changed:
            raise WorkflowError("没有需要变更的内容")
        step.edit(**changed)
        record = ServiceChange.objects.create(
            demand=demand, before=step.before, after=step.after, by=by, reason=reason.strip()
        )
        step.note = "；".join(CHANGEABLE[k] for k in changed) + f"（{reason.strip()}）"
        if demand.responsible and by.pk != demand.responsible_id:
            notify([demand.responsible], f"需求 {demand.number} 服务内容已变更", reason.strip())
    if demand.status in EDITABLE:
        refresh_recommendation(demand)
    return record


def withdraw(demand: Demand, *, by: User, version: int | None, reason: str) -> Demand:
    return _finish(demand, "withdraw", by, version, reason or "提出人撤回")


def close(demand: Demand, *, by: User, version: int | None, note: str) -> Demand:
    return _finish(demand, "close", by, version, note)


def _finish(demand: Demand, action: str, by: User, version: int | None, note: str) -> Demand:
    with FLOW.step(demand, action, by=by, version=version, note=note.strip()) as step:
        if not note.strip():
            raise WorkflowError("办结说明：必须填写")
        label = DemandStatus(step.target).label
        step.set(closed_at=step.at)
        step.clock_note = label
        if by.pk != step.record.client_id:
            notify(_clients(step.record), f"需求 {step.record.number} {label}", note.strip())
    return step.record


def order_placed(demand: Demand, *, by: User, order_number: str, at: dt.datetime) -> None:
    """Called inside the order's place step: the first order puts the demand in service."""
    if Demand.objects.filter(pk=demand.pk, status=S.RECOMMENDED).exists():
        with FLOW.step(demand, "order", by=by, at=at, note=f"已下单 {order_number}") as step:
            step.set(follow_up_days=default_follow_up_days())
            _next_follow_up(step.record, by=None, at=at)


def pooled_order(demand: Demand, *, by: User, order_number: str, at: dt.datetime) -> None:
    """Called inside the order's place step for an accepted batch offer (DEM-13)."""
    with FLOW.step(
        demand, "pooled_order", by=by, at=at, note=f"接受批量报价，已下单 {order_number}"
    ):
        pass


def orders_ended(demand: Demand, *, by: User, completed: bool, at: dt.datetime) -> None:
    """Called inside the order step that ends the demand's last open order: completed when any
    order was served; otherwise the client may order from the shortlist again."""
    if not Demand.objects.filter(pk=demand.pk, status=S.IN_SERVICE).exists():
        return  # closed by staff meanwhile: nothing to move
    action = "complete" if completed else "reopen"
    with FLOW.step(demand, action, by=by, at=at, note=FLOW[action].label) as step:
        if completed:
            step.set(closed_at=step.at)
            notify(
                _clients(step.record), f"需求 {step.record.number} 服务已完成", "欢迎评价。", now=at
            )


@transaction.atomic
def record_visit(
    *,
    by: User,
    enterprise_name: str,
    visited_on: dt.date,
    summary: str,
    organisation: Organisation | None = None,
) -> Visit:
    """A station visit (DEM-2); demands collected there are then published with it."""
    FLOW.check_actor(by, None, "visit")
    if organisation is not None and organisation.kind != MemberKind.ENTERPRISE:
        raise WorkflowError("走访企业：应为企业用户")
    return Visit.objects.create(
        station_staff=by,
        enterprise_name=enterprise_name.strip(),
        visited_on=visited_on,
        summary=summary.strip(),
        organisation=organisation,
    )


@transaction.atomic
def set_urgent(
    demand: Demand, *, urgent: bool, by: User, version: int | None, reason: str
) -> Demand:
    """Flag a demand urgent (绿色通道) or withdraw the flag, with the reason in the history; its
    open clocks switch to the urgent or normal period, counted from when they started (DEM-14)."""
    from qihub.deadlines.queries import open_clock
    from qihub.deadlines.workflow import switch_clock

    reason = reason.strip()
    if not reason:
        raise WorkflowError("加急原因：必须填写" if urgent else "取消加急原因：必须填写")
    action = "urgent" if urgent else "unurgent"
    what = "转为加急（绿色通道）" if urgent else "取消加急"
    with FLOW.step(demand, action, by=by, version=version, note=f"{what}：{reason}") as step:
        if step.record.urgent == urgent:
            raise WorkflowError("该需求已是加急需求" if urgent else "该需求不是加急需求")
        step.edit(urgent=urgent, urgent_reason=reason if urgent else "")
    demand = step.record
    for code in BOTH_CLOCKS:
        clock = open_clock(demand, code)
        if clock is not None:
            switch_clock(clock, demand, by=by, at=step.at, note=f"{what}：{reason}")
    running = clocks_for(demand).exclude(state=ClockState.STOPPED)
    due = {c.code: c.due_at.astimezone(TZ) for c in running}
    when = "；".join(
        f"{label}截止 {due[code]:%Y-%m-%d %H:%M}"
        for code, label in ((RESPONSE_CLOCK, "响应"), (RECOMMENDATION_CLOCK, "推荐"))
        if code in due
    )
    notify(
        _clients(demand),
        f"需求 {demand.number} 已{what}",
        f"原因：{reason}" + (f"。{when}" if when else ""),
        channels=[NotifyChannel.INBOX],
        now=step.at,
    )
    return demand
