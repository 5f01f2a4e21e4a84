"""Every change of a demand's status goes through here (DEM-1 … DEM-9).

Each function locks the demand, checks the move and the version the actor saw (two staff
acting on the same demand: the second gets "已被他人处理"), appends an event, moves the clocks
and queues the notifications in the same transaction.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from qihub.accounts.models import Document, MemberKind, Organisation, Role, User
from qihub.core.numbering import next_number
from qihub.core.records import lock_at_version, save_next_version
from qihub.deadlines import workflow as clocks
from qihub.deadlines.models import ClockState
from qihub.deadlines.queries import clocks_for, open_clock
from qihub.demands.models import (
    Channel,
    ContactLog,
    Demand,
    DemandEvent,
    DemandStatus,
    OutsideReferral,
    Recommendation,
    RecommendedInstitution,
    ServiceChange,
    Visit,
)
from qihub.demands.queries import similar_open_demand
from qihub.demands.recommend import refresh_recommendation
from qihub.institutions.workflow import listed_institutions
from qihub.notifications.models import Channel as NotifyChannel
from qihub.notifications.outbox import notify
from qihub.workcal.calendar import TZ

RESPONSE_CLOCK = "demand_response"
RECOMMENDATION_CLOCK = "demand_recommendation"
HANDLERS = (Role.OPERATOR, Role.STATION_STAFF, Role.ADMIN)
CHANGEABLE = {
    "title": "需求标题",
    "description": "需求描述",
    "product": "产品/样品",
    "standard": "依据标准",
    "wished_by": "期望完成日期",
}


class DemandError(Exception):
    pass


class Conflict(DemandError):
    def __init__(self) -> None:
        super().__init__("该需求已被他人处理，请刷新页面查看最新状态后再操作")


class SimilarDemand(DemandError):
    """A new demand looks like one the client already has open; publish again to confirm."""

    def __init__(self, existing: Demand) -> None:
        self.existing = existing
        super().__init__(
            f"与您尚未办结的需求 {existing.number}“{existing.title}”高度相似，"
            "如确需另行发布，请勾选“仍然发布”后再提交"
        )


def _event(
    demand: Demand,
    kind: str,
    at: dt.datetime,
    by: User | None,
    note: str = "",
    concerning: User | None = None,
) -> None:
    DemandEvent.objects.create(
        demand=demand, kind=kind, at=at, by=by, note=note[:500], concerning=concerning
    )


def _handlers() -> list[User]:
    return list(User.objects.filter(role=Role.OPERATOR, is_active=True))


def _stop(demand: Demand, code: str, by: User, at: dt.datetime, note: str) -> None:
    clock = open_clock(demand, code)
    if clock:
        if (
            clock.owner_id is None and by.role in HANDLERS
        ):  # whoever met it is answerable for it (CMP-4)
            type(clock).objects.filter(pk=clock.pk).update(owner=by)
        clocks.stop_clock(clock, by=by, at=at, note=note)


@transaction.atomic
def publish(
    *,
    client: User,
    data: dict[str, Any],
    channel: str = Channel.ONLINE,
    entered_by: User | None = None,
    visit: Visit | None = None,
    documents: Iterable[Document] = (),
    allow_similar: bool = False,
    at: dt.datetime | None = None,
) -> Demand:
    """Publish a demand (DEM-1): online by the client, or entered by staff with the channel."""
    if client.role not in (Role.ENTERPRISE, Role.INDIVIDUAL) or not client.verified_at:
        raise DemandError("需求提出人：须为已通过实名认证的企业或个人用户")
    if channel == Channel.ONLINE and entered_by is not None:
        raise DemandError("来源渠道：工作人员代录时请选择电话、现场、电子邮件、信函等实际渠道")
    if channel != Channel.ONLINE and (entered_by is None or entered_by.role not in HANDLERS):
        raise DemandError("来源渠道：只有平台工作人员可以代录非网上渠道的需求")
    at = at or timezone.now()
    text = " ".join(str(data.get(k, "")) for k in ("title", "product", "standard", "description"))
    similar = similar_open_demand(client, text)
    if similar and not allow_similar:
        raise SimilarDemand(similar)
    organisation = Organisation.objects.filter(account=client).first()
    demand = Demand.objects.create(
        number=next_number("XQ", at),
        client=client,
        client_organisation=organisation,
        channel=channel,
        entered_by=entered_by,
        visit=visit,
        status=DemandStatus.PUBLISHED,
        published_at=at,
        similar_to=similar,
        **{
            k: data[k]
            for k in (
                "category",
                "title",
                "description",
                "product",
                "standard",
                "region",
                "wished_by",
            )
            if k in data
        },
    )
    demand.documents.set(documents)
    how = Channel(channel).label + (
        f"，由{entered_by.display_name or entered_by.username}代录" if entered_by else ""
    )
    _event(
        demand,
        "published",
        at,
        entered_by or client,
        f"来源：{how}" + (f"；与 {similar.number} 相似，提出人确认另行发布" if similar else ""),
    )
    response = clocks.start_clock(RESPONSE_CLOCK, demand, at=at)
    recommendation = clocks.start_clock(RECOMMENDATION_CLOCK, demand, at=at)
    refresh_recommendation(demand, at=at)
    notify(
        [client],
        f"需求 {demand.number} 已发布",
        f"平台将于 {response.due_at.astimezone(TZ):%Y-%m-%d %H:%M} 前响应，"
        f"{recommendation.due_at.astimezone(TZ):%Y-%m-%d %H:%M} 前推荐服务机构。",
        channels=[NotifyChannel.INBOX, NotifyChannel.SMS],
        now=at,
    )
    notify(
        _handlers(),
        f"新需求待响应：{demand.number}",
        f"{demand.title}（{demand.get_category_display()}），请在 1 个工作日内响应。",
        now=at,
    )
    return demand


@transaction.atomic
def respond(demand: Demand, *, by: User, version: int | None, note: str = "") -> Demand:
    """The platform's first response (DEM-3); the responder becomes first responsible person."""
    demand = lock_at_version(demand, version, Conflict)
    if demand.status != DemandStatus.PUBLISHED:
        raise Conflict
    if by.role not in HANDLERS:
        raise DemandError("只有平台工作人员可以响应需求")
    if by.retraining_since:
        raise DemandError("您已被列入待复训名单，复训合格前暂停受理新的需求")
    at = timezone.now()
    demand.status = DemandStatus.RESPONDED
    demand.responded_at = at
    demand.responsible = by
    save_next_version(demand, "status", "responded_at", "responsible")
    _stop(demand, RESPONSE_CLOCK, by, at, "平台已响应")
    # The recommendation clock's reminders now go to the first responsible person.
    clocks_for(demand).filter(code=RECOMMENDATION_CLOCK, state=ClockState.RUNNING).update(owner=by)
    _event(demand, "responded", at, by, note or "已受理")
    notify(
        [demand.client],
        f"需求 {demand.number} 已受理",
        f"第一受理人：{_name(by)}。{note}".strip(),
        channels=[NotifyChannel.INBOX, NotifyChannel.SMS],
        now=at,
    )
    return demand


def _name(user: User) -> str:
    return user.display_name or user.username


@transaction.atomic
def reassign(demand: Demand, *, to: User, by: User, version: int | None, reason: str) -> Demand:
    """Change the first responsible person (DEM-8); the client is told who it is now."""
    demand = lock_at_version(demand, version, Conflict)
    if not demand.is_open():
        raise DemandError("需求已办结或撤回，不能变更受理人")
    if to.role not in HANDLERS or not to.is_active:
        raise DemandError("新的第一受理人：须为在岗的平台或站点工作人员")
    if to.retraining_since:
        raise DemandError("新的第一受理人：该工作人员待复训，复训合格前暂停分配新的需求")
    if not reason.strip():
        raise DemandError("变更原因：必须填写")
    if demand.responsible_id == to.pk:
        raise DemandError("新的第一受理人与当前相同")
    at = timezone.now()
    before = demand.responsible
    demand.responsible = to
    save_next_version(demand, "responsible")
    clocks_for(demand).filter(state=ClockState.RUNNING).update(owner=to)
    _event(
        demand,
        "reassigned",
        at,
        by,
        f"第一受理人由 {_name(before) if before else '（无）'} 变更为 {_name(to)}：{reason.strip()}",
        concerning=before,
    )
    notify(
        [demand.client],
        f"需求 {demand.number} 的第一受理人已变更",
        f"现由 {_name(to)} 负责跟进您的需求。原因：{reason.strip()}",
        channels=[NotifyChannel.INBOX, NotifyChannel.SMS],
        now=at,
    )
    notify([to], f"您已成为需求 {demand.number} 的第一受理人", demand.title, now=at)
    return demand


@transaction.atomic
def edit_shortlist(
    demand: Demand,
    *,
    by: User,
    version: int | None,
    included: set[int],
    add: Organisation | None = None,
) -> Recommendation:
    """The operator keeps, drops or adds institutions before sending (DEM-4)."""
    demand = lock_at_version(demand, version, Conflict)
    if demand.status not in (DemandStatus.PUBLISHED, DemandStatus.RESPONDED):
        raise Conflict
    recommendation = demand.recommendation
    for item in recommendation.items.all():
        if item.included != (item.organisation_id in included):
            item.included = item.organisation_id in included
            item.save(update_fields=["included"])
    if add is not None:
        if not listed_institutions().filter(pk=add.pk).exists():
            raise DemandError("添加机构：该机构未入驻或资质已失效，不能推荐")
        if recommendation.items.filter(organisation=add).exists():
            raise DemandError("添加机构：该机构已在推荐名单中")
        rank = recommendation.items.count() + 1
        RecommendedInstitution.objects.create(
            recommendation=recommendation,
            organisation=add,
            rank=rank,
            score=0,
            reasons=[f"由{_name(by)}人工添加"],
            added_by_staff=True,
        )
    save_next_version(demand)
    _event(
        demand,
        "shortlist_edited",
        timezone.now(),
        by,
        f"保留 {recommendation.items.filter(included=True).count()} 家机构",
    )
    return recommendation


@transaction.atomic
def send_recommendation(demand: Demand, *, by: User, version: int | None, note: str = "") -> Demand:
    """Send the confirmed shortlist to the client (DEM-4, DEM-5): stops the 3-day clock."""
    demand = lock_at_version(demand, version, Conflict)
    if demand.status not in (DemandStatus.PUBLISHED, DemandStatus.RESPONDED):
        raise Conflict
    if by.role not in HANDLERS:
        raise DemandError("只有平台工作人员可以发送推荐")
    items = list(
        demand.recommendation.items.filter(included=True).select_related("organisation__account")
    )
    if not items:
        raise DemandError("推荐名单为空：请至少保留一家机构，或登记平台外机构查找情况")
    at = timezone.now()
    if demand.status == DemandStatus.PUBLISHED:  # sending is also the first response
        demand.responded_at, demand.responsible = at, by
        _stop(demand, RESPONSE_CLOCK, by, at, "推荐即响应")
    demand.status = DemandStatus.RECOMMENDED
    demand.recommended_at = at
    save_next_version(demand, "status", "recommended_at", "responded_at", "responsible")
    recommendation = demand.recommendation
    recommendation.sent_at, recommendation.sent_by, recommendation.note = at, by, note.strip()[:500]
    recommendation.save(update_fields=["sent_at", "sent_by", "note"])
    _stop(demand, RECOMMENDATION_CLOCK, by, at, f"已推荐 {len(items)} 家机构")
    _event(demand, "recommended", at, by, "、".join(i.organisation.name for i in items))
    notify(
        [demand.client],
        f"需求 {demand.number}：平台已为您推荐 {len(items)} 家服务机构",
        "请在“我的需求”中查看推荐理由并联系机构或直接下单。"
        + (f"说明：{note.strip()}" if note.strip() else ""),
        channels=[NotifyChannel.INBOX, NotifyChannel.SMS],
        now=at,
    )
    notify(
        [i.organisation.account for i in items],
        f"平台向企业推荐了贵机构：{demand.number}",
        f"{demand.title}（{demand.region}），请及时与企业联系。",
        now=at,
    )
    return demand


@transaction.atomic
def refer_outside(
    demand: Demand, *, by: User, version: int | None, searched: str, found: str, feedback: str
) -> OutsideReferral:
    """No platform institution fits (DEM-6): record the outside search and tell the client."""
    demand = lock_at_version(demand, version, Conflict)
    if demand.status not in (DemandStatus.PUBLISHED, DemandStatus.RESPONDED):
        raise Conflict
    if not searched.strip():
        raise DemandError("查找经过：必须填写")
    if not feedback.strip():
        raise DemandError("反馈内容：必须填写")
    at = timezone.now()
    referral = OutsideReferral.objects.create(
        demand=demand,
        searched=searched.strip(),
        found=found.strip(),
        feedback=feedback.strip(),
        by=by,
        at=at,
    )
    if demand.status == DemandStatus.PUBLISHED:
        demand.responded_at, demand.responsible = at, by
        _stop(demand, RESPONSE_CLOCK, by, at, "反馈即响应")
    demand.status = DemandStatus.REFERRED
    demand.recommended_at = at
    save_next_version(demand, "status", "recommended_at", "responded_at", "responsible")
    _stop(demand, RECOMMENDATION_CLOCK, by, at, "已反馈平台外机构查找结果")
    _event(demand, "referred", at, by, found.strip() or "平台外查找")
    notify(
        [demand.client],
        f"需求 {demand.number}：平台外机构查找结果",
        feedback.strip(),
        channels=[NotifyChannel.INBOX, NotifyChannel.SMS],
        now=at,
    )
    return referral


def _may_take_part(demand: Demand, user: User) -> bool:
    if user.role in HANDLERS or user.pk == demand.client_id:
        return True
    return (
        user.role == Role.INSTITUTION
        and RecommendedInstitution.objects.filter(
            recommendation__demand=demand,
            recommendation__sent_at__isnull=False,
            included=True,
            organisation__account=user,
        ).exists()
    )


@transaction.atomic
def log_contact(
    demand: Demand, *, by: User, kind: str, method: str, with_whom: str, summary: str
) -> ContactLog:
    """A contact, follow-up or coordination note (DEM-7, DEM-9)."""
    if not _may_take_part(demand, by):
        raise DemandError("您不是该需求的参与方")
    if not summary.strip():
        raise DemandError("沟通内容：必须填写")
    if not with_whom.strip():
        raise DemandError("沟通对象：必须填写")
    log = ContactLog.objects.create(
        demand=demand,
        by=by,
        kind=kind,
        method=method.strip()[:20],
        with_whom=with_whom.strip()[:100],
        summary=summary.strip(),
    )
    _event(demand, kind, log.at, by, summary.strip()[:200])
    return log


@transaction.atomic
def change_service(
    demand: Demand, *, by: User, version: int | None, changes: dict[str, Any], reason: str
) -> ServiceChange:
    """The client's needs changed (DEM-9): the demand moves on, the change is kept."""
    demand = lock_at_version(demand, version, Conflict)
    if not demand.is_open():
        raise DemandError("需求已办结或撤回，不能变更")
    if by.pk != demand.client_id and by.role not in HANDLERS:
        raise DemandError("只有需求提出人或平台工作人员可以变更服务内容")
    if not reason.strip():
        raise DemandError("变更原因：必须填写")
    changed = {k: v for k, v in changes.items() if k in CHANGEABLE and getattr(demand, k) != v}
    if not changed:
        raise DemandError("没有需要变更的内容")
    before = {k: _plain(getattr(demand, k)) for k in changed}
    for key, value in changed.items():
        setattr(demand, key, value)
    save_next_version(demand, *changed)
    record = ServiceChange.objects.create(
        demand=demand,
        before=before,
        by=by,
        reason=reason.strip(),
        after={k: _plain(v) for k, v in changed.items()},
    )
    _event(
        demand,
        "changed",
        record.at,
        by,
        "；".join(CHANGEABLE[k] for k in changed) + f"（{reason.strip()}）",
    )
    if demand.status in (DemandStatus.PUBLISHED, DemandStatus.RESPONDED):
        refresh_recommendation(demand)
    if demand.responsible and by.pk != demand.responsible_id:
        notify([demand.responsible], f"需求 {demand.number} 服务内容已变更", reason.strip())
    return record


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


@transaction.atomic
def withdraw(demand: Demand, *, by: User, version: int | None, reason: str) -> Demand:
    demand = lock_at_version(demand, version, Conflict)
    if by.pk != demand.client_id:
        raise DemandError("只有需求提出人可以撤回需求")
    if not demand.is_open():
        raise DemandError("需求已办结或撤回")
    return _finish(demand, DemandStatus.WITHDRAWN, by, reason or "提出人撤回")


@transaction.atomic
def close(demand: Demand, *, by: User, version: int | None, note: str) -> Demand:
    demand = lock_at_version(demand, version, Conflict)
    if by.role not in HANDLERS:
        raise DemandError("只有平台工作人员可以办结需求")
    if not demand.is_open():
        raise Conflict
    if not note.strip():
        raise DemandError("办结说明：必须填写")
    return _finish(demand, DemandStatus.CLOSED, by, note)


def _finish(demand: Demand, status: str, by: User, note: str) -> Demand:
    at = timezone.now()
    demand.status = status
    demand.closed_at = at
    save_next_version(demand, "status", "closed_at")
    for code in (RESPONSE_CLOCK, RECOMMENDATION_CLOCK):
        _stop(demand, code, by, at, DemandStatus(status).label)
    _event(demand, status, at, by, note.strip())
    if by.pk != demand.client_id:
        notify(
            [demand.client],
            f"需求 {demand.number} {DemandStatus(status).label}",
            note.strip(),
            now=at,
        )
    return demand


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
    if by.role not in (Role.STATION_STAFF, Role.OPERATOR):
        raise DemandError("只有站点人员或平台工作人员可以登记走访")
    if organisation is not None and organisation.kind != MemberKind.ENTERPRISE:
        raise DemandError("走访企业：应为企业用户")
    return Visit.objects.create(
        station_staff=by,
        enterprise_name=enterprise_name.strip(),
        visited_on=visited_on,
        summary=summary.strip(),
        organisation=organisation,
    )
