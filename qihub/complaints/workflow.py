"""Every change of a complaint's status goes through here (CMP-1, CMP-2).

Accepting a complaint starts the 7-working-day clock (pausable while waiting for the
complainant's evidence, with the reason in the clock's pause ledger); feeding the outcome back
to the complainant stops it.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from qihub.accounts.models import Document, MemberKind, Organisation, Role, Station, User
from qihub.complaints.models import (
    Complaint,
    ComplaintChannel,
    ComplaintEvent,
    ComplaintStatus,
    ComplaintType,
    Opinion,
    OpinionChannel,
    OpinionKind,
    OpinionStatus,
    Target,
)
from qihub.core.numbering import next_number
from qihub.core.records import lock_at_version, save_next_version
from qihub.deadlines import workflow as clocks
from qihub.deadlines.models import Clock, ClockState
from qihub.deadlines.queries import clocks_for
from qihub.notifications.models import Channel
from qihub.notifications.outbox import notify
from qihub.orders.models import Order
from qihub.workcal.calendar import TZ

CLOCK = "complaint"
HANDLERS = (Role.OPERATOR, Role.ADMIN)


class ComplaintError(Exception):
    pass


class Conflict(ComplaintError):
    def __init__(self) -> None:
        super().__init__("该投诉已被他人处理，请刷新页面查看最新状态后再操作")


def _event(
    complaint: Complaint, kind: str, at: dt.datetime, by: User | None, note: str = ""
) -> None:
    ComplaintEvent.objects.create(complaint=complaint, kind=kind, at=at, by=by, note=note[:500])


def clock_of(complaint: Complaint) -> Clock | None:
    return clocks_for(complaint).filter(code=CLOCK).first()


def _handler(by: User) -> None:
    if by.role not in HANDLERS:
        raise ComplaintError("只有平台运营人员可以办理投诉")


@transaction.atomic
def submit(
    *,
    complainant: User,
    target: str,
    complaint_type: ComplaintType,
    content: str,
    request: str,
    against_organisation: Organisation | None = None,
    against_name: str = "",
    order: Order | None = None,
    channel: str = ComplaintChannel.WEB,
    entered_by: User | None = None,
    documents: Iterable[Document] = (),
) -> Complaint:
    """One form for web, phone, window and letter (staff enter the last three)."""
    if complainant.role not in (Role.ENTERPRISE, Role.INDIVIDUAL):
        raise ComplaintError("投诉人：须为企业或个人用户")
    if channel == ComplaintChannel.WEB and entered_by is not None:
        raise ComplaintError("渠道：工作人员代录请选择电话、窗口或信函")
    if channel != ComplaintChannel.WEB and (entered_by is None or entered_by.role not in HANDLERS):
        raise ComplaintError("渠道：电话、窗口、信函投诉由平台工作人员登记")
    if target == Target.INSTITUTION and (
        against_organisation is None or against_organisation.kind != MemberKind.INSTITUTION
    ):
        raise ComplaintError("被投诉机构：请选择平台上的技术机构")
    if target != Target.INSTITUTION and not against_name.strip():
        raise ComplaintError("被投诉站点或人员：必须填写")
    if not content.strip():
        raise ComplaintError("投诉内容：必须填写")
    if order is not None and order.client_id != complainant.pk:
        raise ComplaintError("关联订单：不是投诉人的订单")
    at = timezone.now()
    complaint = Complaint.objects.create(
        number=next_number("TS", at),
        complainant=complainant,
        channel=channel,
        entered_by=entered_by,
        target=target,
        against_organisation=against_organisation if target == Target.INSTITUTION else None,
        against_name=against_name.strip(),
        order=order,
        type=complaint_type,
        content=content.strip(),
        request=request.strip(),
        status=ComplaintStatus.ACCEPTED,
        submitted_at=at,
        against_station=Station.objects.filter(name=against_name.strip()).first()
        if target == Target.STATION
        else None,
    )
    complaint.documents.set(documents)
    clock = clocks.start_clock(CLOCK, complaint, at=at)
    _event(
        complaint,
        "accepted",
        at,
        entered_by or complainant,
        f"来源：{ComplaintChannel(channel).label}",
    )
    notify(
        [complainant],
        f"投诉 {complaint.number} 已受理",
        f"平台将于 {clock.due_at.astimezone(TZ):%Y-%m-%d} 前将处理结果反馈给您。",
        channels=[Channel.INBOX, Channel.SMS],
        now=at,
    )
    notify(
        list(User.objects.filter(role=Role.OPERATOR, is_active=True)),
        f"新投诉：{complaint.number}",
        f"被投诉方：{complaint.against()}，7 个工作日内办结。",
        now=at,
    )
    return complaint


@transaction.atomic
def record_findings(
    complaint: Complaint, *, by: User, version: int | None, findings: str, staff_username: str = ""
) -> Complaint:
    """Findings; for a complaint about staff, the investigation names the staff member, whose
    appraisal then counts it (CMP-4)."""
    _handler(by)
    complaint = lock_at_version(complaint, version, Conflict)
    if complaint.status == ComplaintStatus.CLOSED:
        raise Conflict
    if not findings.strip():
        raise ComplaintError("调查核实情况：必须填写")
    fields = ["findings"]
    if staff_username.strip():
        staff = User.objects.filter(
            username=staff_username.strip(), role__in=(Role.OPERATOR, Role.STATION_STAFF)
        ).first()
        if staff is None:
            raise ComplaintError("被投诉工作人员：找不到该工作人员账号")
        complaint.against_staff = staff
        fields.append("against_staff")
    complaint.findings = findings.strip()
    save_next_version(complaint, *fields)
    _event(complaint, "investigated", timezone.now(), by, findings.strip()[:200])
    return complaint


@transaction.atomic
def forward(complaint: Complaint, *, by: User, version: int | None, note: str = "") -> Complaint:
    """Forward to the complained institution for its response."""
    _handler(by)
    complaint = lock_at_version(complaint, version, Conflict)
    if complaint.status != ComplaintStatus.ACCEPTED:
        raise Conflict
    if complaint.against_organisation is None:
        raise ComplaintError("被投诉方不是技术机构，不需要转交")
    at = timezone.now()
    complaint.status, complaint.forwarded_at = ComplaintStatus.FORWARDED, at
    save_next_version(complaint, "status", "forwarded_at")
    _event(complaint, "forwarded", at, by, note or f"转 {complaint.against_organisation.name} 答复")
    notify(
        [complaint.against_organisation.account],
        f"投诉转办：{complaint.number}",
        "请尽快登录平台答复。",
        channels=[Channel.INBOX, Channel.SMS],
        now=at,
    )
    return complaint


@transaction.atomic
def respond(complaint: Complaint, *, by: User, version: int | None, response: str) -> Complaint:
    """The institution's response to a forwarded complaint."""
    complaint = lock_at_version(complaint, version, Conflict)
    if (
        by.role != Role.INSTITUTION
        or complaint.against_organisation is None
        or (complaint.against_organisation.account_id != by.pk)
    ):
        raise ComplaintError("只有被投诉机构可以答复")
    if complaint.status != ComplaintStatus.FORWARDED:
        raise Conflict
    if not response.strip():
        raise ComplaintError("机构答复：必须填写")
    at = timezone.now()
    complaint.status, complaint.institution_response = ComplaintStatus.RESPONDED, response.strip()
    save_next_version(complaint, "status", "institution_response")
    _event(complaint, "institution_responded", at, by, response.strip()[:200])
    notify(
        list(User.objects.filter(role=Role.OPERATOR, is_active=True)),
        f"机构已答复投诉 {complaint.number}",
        response.strip()[:200],
        now=at,
    )
    return complaint


@transaction.atomic
def decide(
    complaint: Complaint, *, by: User, version: int | None, substantiated: bool, decision: str
) -> Complaint:
    _handler(by)
    complaint = lock_at_version(complaint, version, Conflict)
    if complaint.status not in (ComplaintStatus.ACCEPTED, ComplaintStatus.RESPONDED):
        raise Conflict
    if not decision.strip():
        raise ComplaintError("处理决定：必须填写")
    if not complaint.findings:
        raise ComplaintError("请先登记调查核实情况")
    at = timezone.now()
    complaint.status, complaint.substantiated = ComplaintStatus.DECIDED, substantiated
    complaint.decision = decision.strip()
    save_next_version(complaint, "status", "substantiated", "decision")
    _event(
        complaint,
        "decided",
        at,
        by,
        ("投诉属实：" if substantiated else "投诉不属实：") + decision.strip()[:180],
    )
    return complaint


@transaction.atomic
def feed_back(complaint: Complaint, *, by: User, version: int | None, outcome: str) -> Complaint:
    """Return the outcome to the complainant: the 7-working-day clock stops here."""
    _handler(by)
    complaint = lock_at_version(complaint, version, Conflict)
    if complaint.status != ComplaintStatus.DECIDED:
        raise Conflict
    if not outcome.strip():
        raise ComplaintError("处理结果：必须填写")
    at = timezone.now()
    complaint.status, complaint.outcome, complaint.closed_at = (
        ComplaintStatus.CLOSED,
        outcome.strip(),
        at,
    )
    save_next_version(complaint, "status", "outcome", "closed_at")
    clock = clock_of(complaint)
    if clock and clock.state != ClockState.STOPPED:
        clocks.stop_clock(clock, by=by, at=at, note="处理结果已反馈投诉人")
    _event(complaint, "closed", at, by, outcome.strip()[:200])
    notify(
        [complaint.complainant],
        f"投诉 {complaint.number} 处理结果",
        outcome.strip(),
        channels=[Channel.INBOX, Channel.SMS],
        now=at,
    )
    return complaint


@transaction.atomic
def rate_handling(complaint: Complaint, *, by: User, satisfied: bool) -> Complaint:
    complaint = lock_at_version(complaint, None, Conflict)
    if by.pk != complaint.complainant_id:
        raise ComplaintError("只有投诉人可以评价处理结果")
    if complaint.status != ComplaintStatus.CLOSED:
        raise ComplaintError("收到处理结果后才能评价")
    if complaint.complainant_satisfied is not None:
        raise ComplaintError("已评价过处理结果")
    complaint.complainant_satisfied = satisfied
    save_next_version(complaint, "complainant_satisfied")
    _event(complaint, "rated", timezone.now(), by, "满意" if satisfied else "不满意")
    return complaint


@transaction.atomic
def pause(complaint: Complaint, *, by: User, reason: str) -> Clock:
    """Wait for the complainant's evidence: the clock's pause ledger records why and how long."""
    _handler(by)
    clock = clock_of(complaint)
    if clock is None:
        raise ComplaintError("该投诉没有计时")
    try:
        paused = clocks.pause_clock(clock, reason=reason, by=by)
    except clocks.ClockError as exc:
        raise ComplaintError(str(exc)) from None
    _event(complaint, "paused", timezone.now(), by, reason.strip())
    notify([complaint.complainant], f"投诉 {complaint.number} 需要您补充材料", reason.strip())
    return paused


@transaction.atomic
def resume(complaint: Complaint, *, by: User) -> Clock:
    _handler(by)
    clock = clock_of(complaint)
    if clock is None:
        raise ComplaintError("该投诉没有计时")
    try:
        resumed = clocks.resume_clock(clock, by=by)
    except clocks.ClockError as exc:
        raise ComplaintError(str(exc)) from None
    _event(
        complaint,
        "resumed",
        timezone.now(),
        by,
        f"恢复计时，截止 {resumed.due_at.astimezone(TZ):%Y-%m-%d}",
    )
    return resumed


OPINION_HANDLERS = (Role.OPERATOR, Role.ADMIN)


@transaction.atomic
def submit_opinion(
    *,
    channel: str,
    kind: str,
    content: str,
    submitted_by: User | None = None,
    contact: str = "",
    recorded_by: User | None = None,
) -> Opinion:
    """The suggestion box takes anyone's opinion; hotline calls, the window's book and letters are
    recorded by staff (CMP-3)."""
    if channel not in OpinionChannel.values:
        raise ComplaintError("渠道：不是可选的值")
    if kind not in OpinionKind.values:
        raise ComplaintError("意见类别：不是可选的值")
    if channel != OpinionChannel.BOX and (
        recorded_by is None or recorded_by.role not in OPINION_HANDLERS
    ):
        raise ComplaintError("渠道：热线、窗口和来信意见由平台工作人员登记")
    if not content.strip():
        raise ComplaintError("意见内容：必须填写")
    if len(content.strip()) > 2000:
        raise ComplaintError("意见内容：不超过 2000 字")
    at = timezone.now()
    opinion = Opinion.objects.create(
        number=next_number("YJ", at),
        channel=channel,
        kind=kind,
        content=content.strip(),
        submitted_by=submitted_by if submitted_by and submitted_by.is_authenticated else None,
        contact=contact.strip()[:50],
        recorded_by=recorded_by,
        received_at=at,
        status=OpinionStatus.OPEN,
    )
    notify(
        list(User.objects.filter(role=Role.OPERATOR, is_active=True)),
        f"新的意见建议：{opinion.number}",
        content.strip()[:200],
        now=at,
    )
    return opinion


@transaction.atomic
def close_opinion(opinion: Opinion, *, by: User, reply: str, improvement: str) -> Opinion:
    """Every opinion is closed with the improvement it led to (or why none is needed)."""
    if by.role not in OPINION_HANDLERS:
        raise ComplaintError("只有平台运营人员可以处理意见建议")
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if opinion.status == OpinionStatus.CLOSED:
        raise ComplaintError("该意见已处理")
    if not improvement.strip():
        raise ComplaintError("改进措施：必须填写（无需改进的写明理由）")
    opinion.status, opinion.reply, opinion.improvement = (
        OpinionStatus.CLOSED,
        reply.strip(),
        improvement.strip(),
    )
    opinion.handled_by, opinion.closed_at = by, timezone.now()
    opinion.save(update_fields=["status", "reply", "improvement", "handled_by", "closed_at"])
    if opinion.submitted_by and opinion.reply:
        notify([opinion.submitted_by], f"您的意见 {opinion.number} 已处理", opinion.reply)
    return opinion
