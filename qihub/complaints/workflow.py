"""Every change of a complaint's or an opinion's status goes through here (CMP-1, CMP-2, CMP-3),
on the one workflow mechanism (`qihub.core.workflow`, ADR 0009).

The tables below say who may take which move from which status and what it does to the
7-working-day "complaint" clock: accepting a complaint starts it, waiting for the complainant's
evidence pauses it (the step's note is the reason in the clock's pause ledger), feeding the
outcome back stops it. Each function is the body of one step: its fields, checks and
notifications.
"""

from collections.abc import Iterable

import rules

from qihub.accounts import callers
from qihub.accounts.models import Document, MemberKind, Organisation, Role, Station, User
from qihub.accounts.roles import (
    CLIENTS,
    FIELD_STAFF,
    INSTITUTIONS,
    anyone,
    is_client,
    is_decider,
)
from qihub.complaints.models import (
    Complaint,
    ComplaintChannel,
    ComplaintEvent,
    ComplaintStatus,
    ComplaintType,
    Opinion,
    OpinionChannel,
    OpinionEvent,
    OpinionKind,
    OpinionStatus,
    Target,
)
from qihub.core.numbering import next_number
from qihub.core.workflow import Workflow, WorkflowError, move
from qihub.deadlines.models import Clock, ClockState
from qihub.deadlines.queries import clocks_for
from qihub.notifications.models import Channel
from qihub.notifications.outbox import notify
from qihub.orders.models import Order
from qihub.workcal.calendar import TZ

CLOCK = "complaint"
S = ComplaintStatus
OPEN = frozenset({S.ACCEPTED, S.FORWARDED, S.RESPONDED, S.DECIDED})
STAFF_ONLY = "只有平台运营人员可以办理投诉"


@rules.predicate
def is_complainant(user: User, complaint: Complaint | None) -> bool:
    # A caller's complaint has no complainant until claimed: nobody matches None.
    return (
        complaint is not None
        and complaint.complainant_id is not None
        and user.pk == complaint.complainant_id
    )


@rules.predicate
def is_complaint_institution(user: User, complaint: Complaint | None) -> bool:
    """The complained institution, once the complaint has been forwarded to it."""
    return (
        complaint is not None
        and getattr(user, "role", None) in INSTITUTIONS
        and complaint.forwarded_at is not None
        and complaint.against_organisation is not None
        and complaint.against_organisation.account_id == user.pk
    )


FLOW: Workflow[Complaint] = Workflow(
    Complaint,
    events=ComplaintEvent,
    subject="complaint",
    stale="该投诉已被他人处理，请刷新页面查看最新状态后再操作",
    moves=[
        move(
            "submit",
            "投诉",
            is_client | is_decider,
            {None},
            S.ACCEPTED,
            starts=(CLOCK,),
            event="accepted",
            refusal="只有企业或个人用户可以投诉，或由平台运营人员代为登记",
        ),
        move(
            "findings",
            "登记调查核实情况",
            is_decider,
            OPEN,
            event="investigated",
            refusal=STAFF_ONLY,
        ),
        move(
            "forward",
            "转交被投诉机构",
            is_decider,
            {S.ACCEPTED},
            S.FORWARDED,
            event="forwarded",
            refusal=STAFF_ONLY,
        ),
        move(
            "respond",
            "答复投诉",
            is_complaint_institution,
            {S.FORWARDED},
            S.RESPONDED,
            event="institution_responded",
            refusal="只有被投诉机构可以答复",
        ),
        move(
            "decide",
            "登记处理决定",
            is_decider,
            {S.ACCEPTED, S.RESPONDED},
            S.DECIDED,
            event="decided",
            refusal=STAFF_ONLY,
        ),
        move(
            "feedback",
            "反馈处理结果",
            is_decider,
            {S.DECIDED},
            S.CLOSED,
            stops=(CLOCK,),
            event="closed",
            refusal=STAFF_ONLY,
        ),
        move(
            "rate",
            "评价处理结果",
            is_complainant,
            {S.CLOSED},
            event="rated",
            refusal="只有投诉人可以评价处理结果",
        ),
        # Any status: the complaint is the caller's whatever has happened to it meanwhile.
        move(
            "claim",
            "认领",
            callers.is_record_caller,
            event="claimed",
            refusal="只有以投诉人手机号码注册的企业或个人用户可以认领",
        ),
        move(
            "pause",
            "暂停计时",
            is_decider,
            OPEN,
            pauses=(CLOCK,),
            event="paused",
            refusal=STAFF_ONLY,
        ),
        move(
            "resume",
            "恢复计时",
            is_decider,
            OPEN,
            resumes=(CLOCK,),
            event="resumed",
            refusal=STAFF_ONLY,
        ),
    ],
)


def clock_of(complaint: Complaint) -> Clock | None:
    return clocks_for(complaint).filter(code=CLOCK).first()


def _operators() -> list[User]:
    return list(User.objects.filter(role=Role.OPERATOR, is_active=True))


def submit(
    *,
    complainant: User | None,
    target: str,
    complaint_type: ComplaintType,
    content: str,
    request: str,
    against_organisation: Organisation | None = None,
    against_name: str = "",
    against_station: Station | None = None,
    against_staff: User | None = None,
    order: Order | None = None,
    channel: str = ComplaintChannel.WEB,
    entered_by: User | None = None,
    documents: Iterable[Document] = (),
    caller: tuple[str, str] | None = None,
    link_base: str = "",
) -> Complaint:
    """One form for web, phone, window and letter (staff enter the last three); for a caller
    without an account (`caller` = name, mobile) the caller is texted the number and a follow
    link (ADR 0012)."""
    with FLOW.create("submit", by=entered_by or complainant) as step:
        if caller is not None:
            if entered_by is None or not is_decider(entered_by):
                raise WorkflowError("投诉人：无账户人员的投诉由平台工作人员登记")
            if order is not None:
                raise WorkflowError("关联订单：无账户投诉人没有平台订单")
        elif complainant is None or complainant.role not in CLIENTS:
            raise WorkflowError("投诉人：须为企业或个人用户")
        if channel == ComplaintChannel.WEB and entered_by is not None:
            raise WorkflowError("渠道：工作人员代录请选择电话、窗口或信函")
        if channel != ComplaintChannel.WEB and (entered_by is None or not is_decider(entered_by)):
            raise WorkflowError("渠道：电话、窗口、信函投诉由平台工作人员登记")
        if target == Target.INSTITUTION and (
            against_organisation is None or against_organisation.kind != MemberKind.INSTITUTION
        ):
            raise WorkflowError("被投诉机构：请选择平台上的技术机构")
        if target == Target.STATION:
            # Chosen from the select; a name typed by staff entering a letter still resolves.
            against_station = (
                against_station or Station.objects.filter(name=against_name.strip()).first()
            )
            if against_station is None:
                raise WorkflowError("被投诉站点/窗口：请选择")
            against_name = against_station.name
        else:
            against_station = None
        if target == Target.STAFF:
            if against_staff is None and not against_name.strip():
                raise WorkflowError("被投诉工作人员：请选择，或填写窗口号、工号或特征")
            if against_staff is not None:
                against_name = against_staff.shown_name
        else:
            against_staff = None
        if not content.strip():
            raise WorkflowError("投诉内容：必须填写")
        if order is not None and complainant is not None and order.client_id != complainant.pk:
            raise WorkflowError("关联订单：不是投诉人的订单")
        new_caller = callers.register(*caller) if caller is not None else None
        complaint = Complaint.objects.create(
            number=next_number("TS", step.at),
            complainant=complainant,
            caller=new_caller.caller if new_caller else None,
            channel=channel,
            entered_by=entered_by,
            target=target,
            against_organisation=against_organisation if target == Target.INSTITUTION else None,
            against_name=against_name.strip(),
            order=order,
            type=complaint_type,
            content=content.strip(),
            request=request.strip(),
            status=step.target,
            submitted_at=step.at,
            against_station=against_station,
            against_staff=against_staff,
        )
        if documents := list(documents):  # a new complaint has none to compare with: no read
            complaint.documents.add(*documents)
        step.record = complaint
        step.note = f"来源：{ComplaintChannel(channel).label}" + (
            "，投诉人无平台账户" if new_caller else ""
        )
    # The clock starts when the step ends, so its due time is known only now.
    clock = clock_of(complaint)
    due = f"{clock.due_at.astimezone(TZ):%Y-%m-%d} 前" if clock else "7 个工作日内"
    if new_caller:
        callers.send_follow_sms(
            new_caller, what="投诉", number=complaint.number, link_base=link_base
        )
    notify(
        _complainants(complaint),
        f"投诉 {complaint.number} 已受理",
        f"平台将于 {due}将处理结果反馈给您。",
        channels=[Channel.INBOX, Channel.SMS],
        now=step.at,
    )
    notify(
        _operators(),
        f"新投诉：{complaint.number}",
        f"被投诉方：{complaint.against()}，7 个工作日内办结。",
        now=step.at,
    )
    return complaint


def _complainants(complaint: Complaint) -> list[User]:
    """Whom to tell: the complainant; none while a caller has not claimed it (the caller
    follows it through the link texted on entry)."""
    return [complaint.complainant] if complaint.complainant is not None else []


def claim(complaint: Complaint, *, by: User) -> Complaint:
    """The caller, now registered with the same mobile, takes the complaint as complainant."""
    with FLOW.step(complaint, "claim", by=by) as step:
        if step.record.complainant_id is not None:
            raise WorkflowError("该投诉已被认领")
        step.edit(complainant=by)
        caller = step.record.caller
        if caller is None:
            raise WorkflowError("该记录不是无账户来电人的登记，无需认领")
        callers.claimed(caller, by=by, at=step.at)
        step.record.documents.filter(owner=step.record.entered_by).update(owner=by)
        step.note = f"无账户投诉人注册后认领（{caller.mobile_masked}）"
    return step.record


def record_findings(
    complaint: Complaint, *, by: User, version: int | None, findings: str, staff_username: str = ""
) -> Complaint:
    """Findings; for a complaint about staff, the investigation names the staff member, whose
    appraisal then counts it (CMP-4)."""
    with FLOW.step(complaint, "findings", by=by, version=version) as step:
        if not findings.strip():
            raise WorkflowError("调查核实情况：必须填写")
        if staff_username.strip():
            staff = User.objects.filter(
                username=staff_username.strip(), role__in=FIELD_STAFF
            ).first()
            if staff is None:
                raise WorkflowError("被投诉工作人员：找不到该工作人员账号")
            if staff.pk != step.record.against_staff_id:
                step.edit(against_staff=staff)
        if findings.strip() != step.record.findings:
            step.edit(findings=findings.strip())
        step.note = findings.strip()[:200]
    return step.record


def forward(complaint: Complaint, *, by: User, version: int | None, note: str = "") -> Complaint:
    """Forward to the complained institution for its response."""
    with FLOW.step(complaint, "forward", by=by, version=version) as step:
        organisation = step.record.against_organisation
        if organisation is None:
            raise WorkflowError("被投诉方不是技术机构，不需要转交")
        step.set(forwarded_at=step.at)
        step.note = note.strip() or f"转 {organisation.name} 答复"
        notify(
            [organisation.account],
            f"投诉转办：{step.record.number}",
            "请尽快登录平台答复。",
            channels=[Channel.INBOX, Channel.SMS],
            now=step.at,
        )
    return step.record


def respond(complaint: Complaint, *, by: User, version: int | None, response: str) -> Complaint:
    """The institution's response to a forwarded complaint."""
    with FLOW.step(complaint, "respond", by=by, version=version) as step:
        if not response.strip():
            raise WorkflowError("机构答复：必须填写")
        step.set(institution_response=response.strip())
        step.note = response.strip()[:200]
        notify(
            _operators(),
            f"机构已答复投诉 {step.record.number}",
            response.strip()[:200],
            now=step.at,
        )
    return step.record


def decide(
    complaint: Complaint, *, by: User, version: int | None, substantiated: bool, decision: str
) -> Complaint:
    with FLOW.step(complaint, "decide", by=by, version=version) as step:
        if not decision.strip():
            raise WorkflowError("处理决定：必须填写")
        if not step.record.findings:
            raise WorkflowError("处理决定：请先登记调查核实情况")
        step.set(substantiated=substantiated, decision=decision.strip())
        step.note = ("投诉属实：" if substantiated else "投诉不属实：") + decision.strip()[:180]
    return step.record


def feed_back(complaint: Complaint, *, by: User, version: int | None, outcome: str) -> Complaint:
    """Return the outcome to the complainant: the 7-working-day clock stops here."""
    with FLOW.step(complaint, "feedback", by=by, version=version) as step:
        if not outcome.strip():
            raise WorkflowError("处理结果：必须填写")
        step.set(outcome=outcome.strip(), closed_at=step.at)
        step.note = outcome.strip()[:200]
        step.clock_note = "处理结果已反馈投诉人"
        notify(
            _complainants(step.record),
            f"投诉 {step.record.number} 处理结果",
            outcome.strip(),
            channels=[Channel.INBOX, Channel.SMS],
            now=step.at,
        )
    return step.record


def rate_handling(complaint: Complaint, *, by: User, satisfied: bool) -> Complaint:
    with FLOW.step(complaint, "rate", by=by) as step:
        if step.record.complainant_satisfied is not None:
            raise WorkflowError("已评价过处理结果")
        step.set(complainant_satisfied=satisfied)
        step.note = "满意" if satisfied else "不满意"
    return step.record


def pause(complaint: Complaint, *, by: User, reason: str) -> Complaint:
    """Wait for the complainant's evidence: the clock's pause ledger records why and how long."""
    with FLOW.step(complaint, "pause", by=by, note=reason.strip()) as step:
        if not reason.strip():
            raise WorkflowError("暂停原因：必须填写")
        _clock_in(step.record, ClockState.RUNNING, "只有计时中的投诉可以暂停计时")
        notify(
            _complainants(step.record),
            f"投诉 {step.record.number} 需要您补充材料",
            reason.strip(),
            now=step.at,
        )
    return step.record


def resume(complaint: Complaint, *, by: User, note: str = "") -> Complaint:
    with FLOW.step(complaint, "resume", by=by, note=note.strip() or "恢复计时") as step:
        _clock_in(step.record, ClockState.PAUSED, "只有已暂停计时的投诉可以恢复计时")
    return step.record


def _clock_in(complaint: Complaint, state: str, refusal: str) -> None:
    # The mechanism moves the clock after the body; refuse here so the actor reads why in Chinese
    # instead of the clock's own error escaping the step.
    clock = clock_of(complaint)
    if clock is None or clock.state != state:
        raise WorkflowError(refusal)


OPINION_FLOW: Workflow[Opinion] = Workflow(
    Opinion,
    events=OpinionEvent,
    subject="opinion",
    moves=[
        # The suggestion box is open to everyone, signed in or not (CMP-3).
        move("submit", "提交意见", anyone, {None}, OpinionStatus.OPEN, event="received"),
        move(
            "close",
            "处理意见",
            is_decider,
            {OpinionStatus.OPEN},
            OpinionStatus.CLOSED,
            event="closed",
            refusal="只有平台运营人员可以处理意见建议",
        ),
    ],
)


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
    signed_in = submitted_by if submitted_by and submitted_by.is_authenticated else None
    with OPINION_FLOW.create("submit", by=recorded_by or signed_in) as step:
        if channel not in OpinionChannel.values:
            raise WorkflowError("渠道：不是可选的值")
        if kind not in OpinionKind.values:
            raise WorkflowError("意见类别：不是可选的值")
        if channel != OpinionChannel.BOX and (recorded_by is None or not is_decider(recorded_by)):
            raise WorkflowError("渠道：热线、窗口和来信意见由平台工作人员登记")
        if not content.strip():
            raise WorkflowError("意见内容：必须填写")
        if len(content.strip()) > 2000:
            raise WorkflowError("意见内容：不超过 2000 字")
        opinion = Opinion.objects.create(
            number=next_number("YJ", step.at),
            channel=channel,
            kind=kind,
            content=content.strip(),
            submitted_by=signed_in,
            contact=contact.strip()[:50],
            recorded_by=recorded_by,
            received_at=step.at,
            status=step.target,
        )
        step.record = opinion
        step.note = f"来源：{OpinionChannel(channel).label}"
    notify(
        _operators(),
        f"新的意见建议：{opinion.number}",
        content.strip()[:200],
        now=step.at,
    )
    return opinion


def close_opinion(opinion: Opinion, *, by: User, reply: str, improvement: str) -> Opinion:
    """Every opinion is closed with the improvement it led to (or why none is needed)."""
    with OPINION_FLOW.step(opinion, "close", by=by) as step:
        if not improvement.strip():
            raise WorkflowError("改进措施：必须填写（无需改进的写明理由）")
        step.set(
            reply=reply.strip(), improvement=improvement.strip(), handled_by=by, closed_at=step.at
        )
        step.note = improvement.strip()[:500]
        if step.record.submitted_by and reply.strip():
            notify(
                [step.record.submitted_by],
                f"您的意见 {step.record.number} 已处理",
                reply.strip(),
                now=step.at,
            )
    return step.record
