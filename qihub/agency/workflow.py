"""Every change of an entrustment goes through here (DEM-11), on the one workflow mechanism
(`qihub.core.workflow`, ADR 0009).

The client drafts and signs the entrustment (online with password and a current dynamic code,
or by uploading the printed copy signed); the agent then takes steps on its items. Each step kind
is its own move whose predicate demands the matching authority, so a step outside the entrusted
scope is refused by the table itself, with the reason, before anything is written. Steps after
the period's last day are refused by the step's body. Withdrawing stops every open item.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any

import rules
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from qihub.accounts.models import Document, DocumentKind, User
from qihub.accounts.roles import CLIENTS, is_client
from qihub.accounts.uploads import upload_batch
from qihub.agency.models import (
    AgencyStep,
    Authority,
    EntrustedItem,
    Entrustment,
    EntrustmentEvent,
    EntrustmentStatus,
    SignedBy,
)
from qihub.core.numbering import next_number
from qihub.core.workflow import Workflow, WorkflowError, move
from qihub.notifications.outbox import notify
from qihub.workcal.calendar import TZ

S = EntrustmentStatus
CLIENT_ONLY = "只有委托人本人可以办理"


@rules.predicate
def is_entrustment_client(user: User, entrustment: Entrustment | None) -> bool:
    return entrustment is not None and user.pk == entrustment.client_id


@rules.predicate
def is_agent(user: User, entrustment: Entrustment | None) -> bool:
    return entrustment is not None and user.pk == entrustment.agent_id


def authorises(authority: str) -> rules.Predicate:
    """The entrustment grants this authority (the scope the client ticked when signing)."""

    def test(user: User, entrustment: Entrustment | None) -> bool:
        return entrustment is not None and authority in entrustment.authorities

    return rules.Predicate(test, name=f"authorises_{authority}")


def step_action(authority: str) -> str:
    return f"step_{authority}"


STEP_MOVES = [
    move(
        step_action(a.value),
        a.label,
        is_agent & authorises(a.value),
        {S.ACTIVE},
        event="step",
        refusal=f"超出委托范围：委托书未授权“{a.label}”，只有受托代办人可在授权范围内办理",
    )
    for a in Authority
]

FLOW: Workflow[Entrustment] = Workflow(
    Entrustment,
    events=EntrustmentEvent,
    subject="entrustment",
    stale="该委托书已有新的办理记录，请刷新页面查看最新状态后再操作",
    kinds={"item_closed": "事项办结"},
    moves=[
        move(
            "create",
            "填写委托书",
            is_client,
            {None},
            S.SIGNING,
            event="created",
            refusal="只有企业或个人用户可以委托代办",
        ),
        move(
            "sign_online",
            "在线签署",
            is_entrustment_client,
            {S.SIGNING},
            S.ACTIVE,
            event="signed",
            refusal=CLIENT_ONLY,
        ),
        move(
            "sign_paper",
            "上传签字委托书",
            is_entrustment_client,
            {S.SIGNING},
            S.ACTIVE,
            event="signed",
            refusal=CLIENT_ONLY,
        ),
        move(
            "withdraw",
            "撤回委托",
            is_entrustment_client,
            {S.SIGNING, S.ACTIVE},
            S.WITHDRAWN,
            event="withdrawn",
            refusal=CLIENT_ONLY,
        ),
        *STEP_MOVES,
        move(
            "finish",
            "办结委托",
            is_agent,
            {S.ACTIVE},
            S.DONE,
            event="finished",
            refusal="只有受托代办人可以办结委托",
        ),
    ],
)


def _today(at: dt.datetime) -> dt.date:
    return at.astimezone(TZ).date()


def create(
    *,
    client: User,
    agent: User,
    items: Iterable[tuple[Any, str, Any]],
    authorities: list[str],
    handed_over: str,
    period_from: dt.date,
    period_to: dt.date,
    files: Iterable[Any] = (),
) -> Entrustment:
    """The client's draft: items (service, what to do, linked order), scope and period."""
    items = list(items)
    with FLOW.create("create", by=client) as step:
        if client.role not in CLIENTS:
            raise WorkflowError("委托人：须为企业或个人用户")
        if agent.station_id is None:
            raise WorkflowError("受托代办人：该工作人员未归属任何站点")
        if not items:
            raise WorkflowError("委托事项：至少填写一项")
        if not authorities:
            raise WorkflowError("授权范围：至少勾选一项")
        if period_to < period_from:
            raise WorkflowError("委托期限止：不能早于委托期限起")
        if period_to < _today(step.at):
            raise WorkflowError("委托期限止：不能早于今天")
        for _, _, order in items:
            if order is not None and order.client_id != client.pk:
                raise WorkflowError("关联订单：不是委托人的订单")
        entrustment = Entrustment.objects.create(
            number=next_number("DB", step.at),
            client=client,
            station_id=agent.station_id,
            agent=agent,
            authorities=[a for a in Authority.values if a in authorities],
            handed_over=handed_over.strip(),
            period_from=period_from,
            period_to=period_to,
            status=step.target,
            created_at=step.at,
        )
        for service, task, order in items:
            EntrustedItem.objects.create(
                entrustment=entrustment, service=service, task=task.strip(), order=order
            )
        entrustment.documents.set(_store(files, client, DocumentKind.SUPPORTING))
        step.record = entrustment
        step.note = f"委托 {agent.shown_name} 代办 {len(items)} 项，待委托人签署"
    return entrustment


def _store(files: Iterable[Any], owner: User, kind: str) -> list[Document]:
    documents = []
    with upload_batch() as batch:
        for upload in files:
            if upload:
                documents.append(
                    Document.objects.create(owner=owner, kind=kind, **batch.store(upload))
                )
    return documents


def _signed(step: Any, how: str) -> None:
    if step.record.period_to < _today(step.at):
        raise WorkflowError("委托期限已过，请撤回后重新填写委托书")
    step.set(signed_by=how, signed_at=step.at)
    notify(
        [step.record.agent],
        f"新的代办委托：{step.record.number}",
        f"{step.record.client.shown_name} 已签署委托书，请按授权范围代办。",
        now=step.at,
    )


def sign_online(
    entrustment: Entrustment, *, by: User, request: HttpRequest, password: str, code: str
) -> Entrustment:
    """The client confirms with the password and a current code of their authenticator."""
    from qihub.accounts import second_factor

    with FLOW.step(entrustment, "sign_online", by=by) as step:
        if not second_factor.confirmed_devices(by):
            raise WorkflowError(
                "当前动态口令：您还没有添加动态口令验证器，请先在工作台的“动态口令验证器”页面添加"
            )
        try:
            second_factor.check_identity(request, by, password, code)
        except ValidationError as exc:
            raise WorkflowError(
                "；".join(m for ms in exc.message_dict.values() for m in ms)
            ) from exc
        _signed(step, SignedBy.ONLINE)
        step.note = "委托人以登录密码和动态口令在线确认"
    return step.record


def sign_paper(entrustment: Entrustment, *, by: User, scan: Any) -> Entrustment:
    """The printed entrustment, signed (and stamped), uploaded back."""
    with FLOW.step(entrustment, "sign_paper", by=by) as step:
        if not scan:
            raise WorkflowError("签字委托书：请上传")
        _signed(step, SignedBy.PAPER)
        (document,) = _store([scan], by, DocumentKind.SUPPORTING)
        step.set(signed_scan=document)
        # The file's name stays in the record, not in the history (names carry extensions).
        step.note = "委托人上传签字（盖章）后的委托书"
    return step.record


def withdraw(entrustment: Entrustment, *, by: User, reason: str) -> Entrustment:
    """The client takes the entrustment back: every open item stops."""
    with FLOW.step(entrustment, "withdraw", by=by) as step:
        # Open items stop with the entrustment (their state follows its status).
        stopped = step.record.items.filter(closed_at__isnull=True).count()
        step.set(withdrawn_reason=reason.strip()[:300])
        step.note = f"委托人撤回委托，{stopped} 项未办结事项终止" + (
            f"；原因：{reason.strip()[:200]}" if reason.strip() else ""
        )
        notify(
            [step.record.agent],
            f"代办委托 {step.record.number} 已撤回",
            "委托人已撤回委托，请停止代办并退还移交材料。",
            now=step.at,
        )
    return step.record


def take_step(
    entrustment: Entrustment,
    *,
    by: User,
    authority: str,
    item: EntrustedItem,
    note: str,
    files: Iterable[Any] = (),
    at: dt.datetime | None = None,
    from_order: bool = False,
) -> AgencyStep:
    """One step of the agent on one item; collecting the certificate or report closes it."""
    with FLOW.step(entrustment, step_action(authority), by=by, at=at) as step:
        if not step.record.in_period(_today(step.at)):
            raise WorkflowError(
                f"不在委托期限内（{step.record.period_from:%Y-%m-%d} 至 "
                f"{step.record.period_to:%Y-%m-%d}），不能代办"
            )
        if item.entrustment_id != step.record.pk:
            raise WorkflowError("委托事项：不属于该委托书")
        item = EntrustedItem.objects.select_for_update().get(pk=item.pk)
        if item.closed_at is not None:
            raise WorkflowError(f"委托事项：“{item.service.name}”已办结")
        if not note.strip():
            raise WorkflowError("办理说明：必须填写")
        closes = authority == Authority.COLLECT
        if closes and item.order_id is not None and not from_order:
            # One way to collect an order's report: the order's 代办领取, which closes the item.
            raise WorkflowError(
                f"该事项关联订单 {item.order.number}，请在订单页登记代办领取，事项随之办结"
            )
        agency_step = AgencyStep.objects.create(
            item=item, kind=authority, note=note.strip()[:500], by=by, at=step.at
        )
        agency_step.documents.set(_store(files, by, DocumentKind.SUPPORTING))
        if closes:
            EntrustedItem.objects.filter(pk=item.pk).update(closed_at=step.at)
        step.note = f"{item.service.name}：{Authority(authority).label}——{note.strip()[:200]}"
        if closes:
            step.note += "（事项办结）"
        notify(
            [step.record.client],
            f"代办进展：{step.record.number}",
            step.note,
            now=step.at,
        )
    return agency_step


def finish(entrustment: Entrustment, *, by: User) -> Entrustment:
    with FLOW.step(entrustment, "finish", by=by) as step:
        if step.record.items.filter(closed_at__isnull=True).exists():
            raise WorkflowError("还有未办结的委托事项，不能办结委托")
        step.note = "全部委托事项已办结"
        notify(
            [step.record.client], f"代办委托 {step.record.number} 已办结", step.note, now=step.at
        )
    return step.record
