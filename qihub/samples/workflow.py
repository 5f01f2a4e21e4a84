"""Every change of a sample's status goes through here (ORD-4), on the one workflow mechanism
(`qihub.core.workflow`, ADR 0009). The table says who may move a sample from which status; each
function is the body of one step: its fields, its hand-over row and its notification.

Hand-overs are signed by the receiver: the station signs a sample in by being logged in; the
institution types the one-time code the station showed the giver (the courier carries it), so
the record proves the two met; a report handed out at the station is signed against the
collector's identity document, as the orders' 代办领取 has always done.
"""

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

import rules
from django.conf import settings
from django.core.cache import cache

from qihub.accounts.models import Document, DocumentKind, Station, User
from qihub.accounts.roles import is_client, is_institution, is_station_staff
from qihub.core.numbering import next_number
from qihub.core.workflow import Workflow, WorkflowError, move
from qihub.notifications.outbox import notify
from qihub.orders.models import CODE_ALPHABET, OPEN_ORDER_STATUSES, Order
from qihub.samples.models import NO_SPECIAL, Handover, Sample, SampleEvent, Signature
from qihub.samples.models import SampleStatus as S

CODE_LIFETIME = dt.timedelta(minutes=30)
CODE_LENGTH = 8


@rules.predicate
def _own_sample(user: User, sample: Sample | None) -> bool:
    return sample is not None and user.pk == sample.client_id


@rules.predicate
def _sample_station(user: User, sample: Sample | None) -> bool:
    return sample is not None and getattr(user, "station_id", None) == sample.station_id


@rules.predicate
def _sample_lab(user: User, sample: Sample | None) -> bool:
    return sample is not None and sample.order.institution.account_id == user.pk


is_sample_client = is_client & _own_sample
is_sample_station = is_station_staff & _sample_station
is_sample_institution = is_institution & _sample_lab
STATION_ONLY = "只有样品所送站点的工作人员可以办理"
LAB_ONLY = "只有订单的检测机构可以办理"

FLOW: Workflow[Sample] = Workflow(
    Sample,
    events=SampleEvent,
    subject="sample",
    stale="该样品已被他人处理，请刷新页面查看最新状态后再操作",
    moves=[
        move(
            "register",
            "登记样品",
            is_client,
            {None},
            S.REGISTERED,
            event="registered",
            refusal="只有企业或个人用户可以登记样品",
        ),
        move(
            "receive",
            "站点收样",
            is_sample_station,
            {S.REGISTERED},
            S.RECEIVED,
            event="received",
            refusal=STATION_ONLY,
        ),
        move(
            "refuse",
            "站点拒收",
            is_sample_station,
            {S.REGISTERED},
            S.REFUSED,
            event="refused",
            refusal=STATION_ONLY,
        ),
        move(
            "dispatch",
            "交付转运",
            is_sample_station,
            {S.RECEIVED},
            S.IN_TRANSIT,
            event="dispatched",
            refusal=STATION_ONLY,
        ),
        move(
            "new_code",
            "重新生成交接码",
            is_sample_station,
            {S.IN_TRANSIT},
            event="code_issued",
            refusal=STATION_ONLY,
        ),
        move(
            "accept",
            "机构确认接收",
            is_sample_institution,
            {S.IN_TRANSIT},
            S.AT_INSTITUTION,
            event="accepted",
            refusal=LAB_ONLY,
        ),
        move(
            "reject",
            "机构拒收",
            is_sample_institution,
            {S.IN_TRANSIT},
            S.REJECTED,
            event="rejected",
            refusal=LAB_ONLY,
        ),
        move(
            "hand_out",
            "站点发放报告",
            is_sample_station,
            {S.AT_INSTITUTION},
            S.HANDED_OUT,
            event="handed_out",
            refusal=STATION_ONLY,
        ),
    ],
)


def _place(station: Station) -> str:
    from qihub.core.regions import full_name

    area = full_name(station.region) if station.region else ""
    return " ".join(part for part in (station.name, area, station.address) if part)


def _named(organisation: str, user: User) -> str:
    """The organisation and the person acting for it (once, when the account is the organisation)."""
    person = user.party_name
    return organisation if person == organisation else f"{organisation} {person}"


def _lab_place(order: Order) -> str:
    return order.institution.name


def _digest(sample: Sample, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{sample.pk}|{code}".encode(), hashlib.sha256).hexdigest()


def _cache_key(sample: Sample, user: User) -> str:
    return f"samples:handover-code:{sample.pk}:{user.pk}"


def shown_code(sample: Sample, user: Any) -> str:
    """The hand-over code for the giver who asked for it, while it is valid (else "")."""
    if not getattr(user, "is_authenticated", False) or sample.status != S.IN_TRANSIT:
        return ""
    if not sample.code_hash or sample.code_expires_at is None:
        return ""
    code = cache.get(_cache_key(sample, user), "")
    # A newer code (issued by a colleague) makes the one this giver holds worthless.
    return code if code and hmac.compare_digest(_digest(sample, code), sample.code_hash) else ""


def _issue_code(step: Any) -> None:
    """A fresh one-time code: its hash is stored, the code itself is shown to the giver only."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    step.set(code_hash=_digest(step.record, code), code_expires_at=step.at + CODE_LIFETIME)
    cache.set(_cache_key(step.record, step.by), code, int(CODE_LIFETIME.total_seconds()))


def register(
    order: Order,
    *,
    by: User,
    station: Station,
    name: str,
    quantity: int,
    retained: str = "",
    conditions: str = NO_SPECIAL,
) -> Sample:
    """The client registers a sample against their own open order."""
    with FLOW.create("register", by=by) as step:
        if order.client_id != by.pk:
            raise WorkflowError("只能为自己的订单登记样品")
        if order.status not in OPEN_ORDER_STATUSES:
            raise WorkflowError(f"订单当前状态（{order.get_status_display()}）不能登记样品")
        if conditions != NO_SPECIAL:
            raise WorkflowError("特殊要求：站点只接收无特殊要求的样品，请与检测机构约定直接送样")
        if not station.active:
            raise WorkflowError("送样站点：该站点已停止运行，请选择其他站点")
        step.record = Sample.objects.create(
            code=next_number("YP", step.at),
            order=order,
            client=by,
            station=station,
            name=name.strip(),
            quantity=quantity,
            retained=retained.strip(),
            conditions=conditions,
            status=step.target,
            registered_at=step.at,
        )
        step.note = f"{name.strip()} × {quantity}，送 {station.name}"
    return step.record


def receive(sample: Sample, *, by: User, version: int | None, photo: Any, note: str = "") -> Sample:
    """The station checks the sample, photographs it and signs it in (logged-in receiver)."""
    from qihub.accounts.uploads import upload_batch

    with FLOW.step(sample, "receive", by=by, version=version, note=note) as step:
        with upload_batch() as batch:
            document = Document.objects.create(
                owner=by, kind=DocumentKind.SUPPORTING, **batch.store(photo)
            )
            step.set(photo=document, received_at=step.at)
            record = step.record
            Handover.objects.create(
                sample=record,
                leg="送样人交站点",
                giver=record.client.party_name,
                receiver=f"{record.station.name} {by.party_name}",
                receiver_user=by,
                signature=Signature.LOGIN,
                place=_place(record.station),
                at=step.at,
                recorded_by=by,
            )
        step.note = note or "已核对样品并拍照"
        notify(
            [record.client], f"样品 {record.code} 已由站点接收", record.station.name, now=step.at
        )
    return step.record


def refuse(sample: Sample, *, by: User, version: int | None, reason: str) -> Sample:
    with FLOW.step(sample, "refuse", by=by, version=version, note=reason) as step:
        step.set(reason=reason.strip())
        notify([step.record.client], f"样品 {step.record.code} 被站点拒收", reason, now=step.at)
    return step.record


def dispatch(sample: Sample, *, by: User, version: int | None, carrier: str) -> Sample:
    """Handed to transport; the station is shown the one-time code the institution will type."""
    with FLOW.step(sample, "dispatch", by=by, version=version) as step:
        record = step.record
        step.set(carrier=carrier.strip(), dispatched_at=step.at)
        _issue_code(step)
        Handover.objects.create(
            sample=record,
            leg="站点交转运",
            giver=f"{record.station.name} {by.party_name}",
            receiver=f"转运人 {carrier.strip()}",
            signature=Signature.LOGIN,
            place=_place(record.station),
            at=step.at,
            recorded_by=by,
        )
        step.note = f"交转运人 {carrier.strip()}"
    return step.record


def new_code(sample: Sample, *, by: User, version: int | None) -> Sample:
    with FLOW.step(sample, "new_code", by=by, version=version) as step:
        _issue_code(step)
    return step.record


def accept(sample: Sample, *, by: User, version: int | None, code: str) -> Sample:
    """The institution signs the sample in by typing the giver's one-time code."""
    with FLOW.step(sample, "accept", by=by, version=version) as step:
        record = step.record
        typed = code.strip().upper()
        if not record.code_hash or record.code_expires_at is None:
            raise WorkflowError("交接码：请站点重新生成交接码")
        if record.code_expires_at < step.at:
            raise WorkflowError("交接码：已过期，请站点重新生成交接码")
        if not hmac.compare_digest(_digest(record, typed), record.code_hash):
            raise WorkflowError("交接码：不正确，请核对交接单上的交接码")
        step.set(arrived_at=step.at, code_hash="", code_expires_at=None)
        Handover.objects.create(
            sample=record,
            leg="转运交机构",
            giver=f"转运人 {record.carrier}",
            receiver=_named(record.order.institution.name, by),
            receiver_user=by,
            signature=Signature.CODE,
            place=_lab_place(record.order),
            at=step.at,
            recorded_by=by,
        )
        step.note = "机构已输入交接码确认接收"
        notify([record.client], f"样品 {record.code} 已送达检测机构", "", now=step.at)
    return step.record


def reject(sample: Sample, *, by: User, version: int | None, reason: str) -> Sample:
    with FLOW.step(sample, "reject", by=by, version=version, note=reason) as step:
        step.set(reason=reason.strip(), code_hash="", code_expires_at=None)
        notify([step.record.client], f"样品 {step.record.code} 被机构拒收", reason, now=step.at)
    return step.record


def hand_out(
    sample: Sample,
    *,
    by: User,
    version: int | None,
    collected_by: str,
    id_number: str,
    note: str = "",
) -> Sample:
    """The order's report handed out at the station: the orders' 代办领取 records it."""
    from qihub.orders import workflow as orders

    with FLOW.step(sample, "hand_out", by=by, version=version) as step:
        record = step.record
        if getattr(record.order, "report", None) is None:
            raise WorkflowError("检测机构尚未出具报告，不能发放")
        collection = orders.record_collection(
            record.order, by=by, collected_by=collected_by, id_number=id_number, note=note
        )
        step.set(handed_out_at=step.at)
        Handover.objects.create(
            sample=record,
            leg="站点发放报告",
            giver=f"{record.station.name} {by.party_name}",
            receiver=f"{collection.collected_by}（证件 {collection.id_masked}）",
            signature=Signature.ID,
            place=_place(record.station),
            at=step.at,
            recorded_by=by,
        )
        step.note = f"报告 {record.order.report.number} 由 {collection.collected_by} 领取"
    return step.record
