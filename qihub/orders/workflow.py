"""Every change of an order's status goes through here (ORD-1, ORD-2, ORD-5, ORD-6), on the one
workflow mechanism (`qihub.core.workflow`, ADR 0009): the table below says who may take which
move from which status and which clocks it starts and stops; each function is the body of one
step (its fields, checks and notifications).

Free and fixed-price services are confirmed by the institution directly; quoted ones need the
institution's price and period, then the client's acceptance. The agreed service period is the
declared clock "order_service", counted in the order's own working days from the start of service.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import rules
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from qihub.accounts.models import Organisation, User
from qihub.accounts.roles import is_client, is_handler, is_institution
from qihub.catalog.models import Category
from qihub.core.numbering import next_number
from qihub.core.workflow import Step, Workflow, WorkflowError, move
from qihub.deadlines.models import ClockState
from qihub.deadlines.queries import clocks_for
from qihub.demands import workflow as demands
from qihub.demands.models import Demand, RecommendedInstitution
from qihub.institutions.models import InstitutionService, Pricing
from qihub.institutions.scope import needs_qualification
from qihub.institutions.workflow import listed_institutions, qualified_for
from qihub.notifications.models import Channel
from qihub.notifications.outbox import notify
from qihub.orders.models import (
    OPEN_ORDER_STATUSES,
    Order,
    OrderEvent,
    OrderStatus,
    Report,
    ReportCollection,
    ReportLine,
    new_verification_code,
)
from qihub.workcal.calendar import TZ

SERVICE_CLOCK = "order_service"
S = OrderStatus
NOT_STARTED = frozenset({S.PLACED, S.QUOTED})


@rules.predicate
def is_order_client(user: User, order: Order | None) -> bool:
    return order is not None and user.pk == order.client_id


@rules.predicate
def is_order_account(user: User, order: Order | None) -> bool:
    return order is not None and order.institution.account_id == user.pk


is_order_institution = is_institution & is_order_account


FLOW: Workflow[Order] = Workflow(
    Order,
    events=OrderEvent,
    subject="order",
    stale="该订单已被他人处理，请刷新页面查看最新状态后再操作",
    moves=[
        move(
            "place",
            "下单",
            is_client,
            {None},
            S.PLACED,
            event="placed",
            refusal="只有企业或个人用户可以下单",
        ),
        # Confirming a quoted service is a quote; both are the institution's "确认" button.
        move(
            "confirm",
            "确认订单",
            is_order_institution,
            {S.PLACED},
            S.ACCEPTED,
            starts=(SERVICE_CLOCK,),
            event="accepted",
            refusal="只有接单机构可以确认订单",
        ),
        move(
            "quote",
            "报价",
            is_order_institution,
            {S.PLACED},
            S.QUOTED,
            event="quoted",
            refusal="只有接单机构可以确认订单",
        ),
        move(
            "accept",
            "接受报价",
            is_order_client,
            {S.QUOTED},
            S.ACCEPTED,
            starts=(SERVICE_CLOCK,),
            event="accepted",
            refusal="只有下单人可以确认报价",
        ),
        move(
            "refuse",
            "不予受理",
            is_order_institution,
            NOT_STARTED,
            S.REFUSED,
            stops=(SERVICE_CLOCK,),
            event=S.REFUSED,
            refusal="只有接单机构可以不予受理",
        ),
        move(
            "cancel",
            "取消订单",
            is_order_client,
            NOT_STARTED,
            S.CANCELLED,
            stops=(SERVICE_CLOCK,),
            event=S.CANCELLED,
            refusal="只有下单人可以取消订单",
        ),
        move(
            "progress",
            "登记进度",
            is_order_institution,
            {S.ACCEPTED},
            event="progress",
            refusal="只有接单机构可以登记进度",
        ),
        move(
            "complete",
            "完成服务",
            is_order_institution,
            {S.ACCEPTED},
            S.COMPLETED,
            stops=(SERVICE_CLOCK,),
            event="completed",
            refusal="只有接单机构可以完成订单",
        ),
        # Issuing the report completes the order (ORD-5): the history keeps the kind "completed".
        move(
            "issue_report",
            "出具报告",
            is_order_institution,
            {S.ACCEPTED},
            S.COMPLETED,
            stops=(SERVICE_CLOCK,),
            event="completed",
            refusal="只有接单机构可以出具报告",
        ),
        # The green channel (DEM-14): the client asks for it when ordering; later, staff flag
        # or unflag it on the client's behalf, each with a reason in the history.
        move(
            "urgent",
            "转为加急（绿色通道）",
            is_handler,
            OPEN_ORDER_STATUSES,
            event="urgent_flagged",
            refusal="只有平台工作人员或站点人员可以为订单申请加急",
        ),
        move(
            "unurgent",
            "取消加急",
            is_handler,
            OPEN_ORDER_STATUSES,
            event="urgent_withdrawn",
            refusal="只有平台工作人员或站点人员可以取消加急",
        ),
        move(
            "collection",
            "登记代办领取",
            is_handler,
            {S.COMPLETED},
            event="collected",
            refusal="只有窗口或站点工作人员可以登记代办领取",
        ),
    ],
)


def why_not_orderable(service: InstitutionService, today: dt.date | None = None) -> str:
    """The reason a service cannot be ordered now, or "" (MATCH-3: only within a valid scope)."""
    today = today or dt.datetime.now(TZ).date()
    institution = service.organisation
    if not service.published:
        return "该服务项目已下架"
    if not listed_institutions(today).filter(pk=institution.pk).exists():
        return f"{institution.name} 当前没有有效资质（或已注销），暂不能下单"
    return why_not_qualified(institution, service.category, today)


def why_not_qualified(institution: Organisation, category: str, today: dt.date) -> str:
    """MATCH-3: a category that needs a qualification is served only under a valid one; an
    institution whose CMA lapsed takes no testing order, though its valid CNCA still carries
    certification."""
    label = Category(category).label if category in Category.values else category
    if qualified_for(institution, category, today):
        return ""
    if needs_qualification(category) and institution.scope_lines.filter(category=category).exists():
        return (
            f"{institution.name} 在“{label}”类别的资质已过期或已撤回，"
            "暂不能承接该类服务，请选择其他机构"
        )
    return f"{institution.name} 的资质能力范围不包含“{label}”类服务"


def _check_qualified(order: Order, at: dt.datetime) -> None:
    """Service starts only while the institution is qualified for the order's category."""
    reason = why_not_qualified(order.institution, order.service.category, at.astimezone(TZ).date())
    if reason:
        raise WorkflowError(f"不能开始服务：{reason}")


def on_shortlist(demand: Demand, institution: Organisation) -> bool:
    """The institution was on the shortlist sent to the demand's client (DEM-5)."""
    return RecommendedInstitution.objects.filter(
        recommendation__demand=demand,
        recommendation__sent_at__isnull=False,
        included=True,
        organisation=institution,
    ).exists()


def _demand_of(client: User, demand: Demand | str | None, service: InstitutionService) -> Demand:
    """The client's own demand, recommended to them with this institution on the shortlist."""
    if isinstance(demand, str):
        found = Demand.objects.filter(number=demand.strip()).first()
        if found is None:
            raise WorkflowError("关联需求：没有该需求编号")
        demand = found
    assert demand is not None
    if demand.client_id != client.pk:
        raise WorkflowError("关联需求：不是您的需求")
    if demand.status not in demands.ORDERABLE:
        raise WorkflowError(
            f"关联需求：当前状态（{demand.get_status_display()}）不能从推荐名单下单"
        )
    if not on_shortlist(demand, service.organisation):
        raise WorkflowError(f"关联需求：{service.organisation.name} 不在平台发送给您的推荐名单中")
    return demand


def _pooled_demand_of(client: User, demand: Demand | str | None) -> Demand:
    """The client's own open demand, ordered from a pooled batch's offer (DEM-13)."""
    if not isinstance(demand, Demand) or demand.client_id != client.pk:
        raise WorkflowError("关联需求：不是您的需求")
    if demand.status not in demands.POOLABLE:
        raise WorkflowError(
            f"关联需求：当前状态（{demand.get_status_display()}）不能接受批量报价下单"
        )
    return demand


def place(
    *,
    client: User,
    service: InstitutionService,
    description: str,
    quantity: int = 1,
    demand: Demand | str | None = None,
    at: dt.datetime | None = None,
    urgent: bool = False,
    urgent_reason: str = "",
    batch: Any = None,
) -> Order:
    """A logged-in member orders a service item (ORD-1), possibly from a demand's shortlist: the
    demand's first order puts it in service. From a pooled batch (DEM-13, `batch`) the batch's
    offer stands in for the shortlist: its price per enterprise and its period apply."""
    with FLOW.create("place", by=client, at=at) as step:
        if not client.verified_at:
            raise WorkflowError("下单人：须为已通过实名认证的企业或个人用户")
        reason = why_not_orderable(service)
        if reason:
            raise WorkflowError(f"不能下单：{reason}")
        if not description.strip():
            raise WorkflowError("服务要求：必须填写")
        if not 1 <= quantity <= 10000:
            raise WorkflowError("数量：应在 1–10000 之间")
        linked: Demand | None
        if batch is not None:
            linked = _pooled_demand_of(client, demand)
        else:
            linked = _demand_of(client, demand, service) if demand else None
        urgent_reason = urgent_reason.strip()
        if urgent and not urgent_reason:
            raise WorkflowError("加急原因：申请加急时必须填写")
        if not urgent and linked is not None and linked.urgent:
            # An order from an urgent demand stays in the green channel.
            urgent, urgent_reason = True, linked.urgent_reason
        free = service.pricing == Pricing.FREE
        price = None
        if service.pricing == Pricing.FIXED and service.price is not None:
            price = service.price * Decimal(quantity)
        period_days = service.period_days
        if batch is not None:
            price, period_days = batch.price, batch.period_days
        order = Order.objects.create(
            number=next_number("DD", step.at),
            client=client,
            client_organisation=Organisation.objects.filter(account=client).first(),
            institution=service.organisation,
            service=service,
            demand=linked,
            description=description.strip(),
            quantity=quantity,
            free=free,
            price=Decimal(0) if free else price,
            period_days=period_days,
            status=step.target,
            placed_at=step.at,
            urgent=urgent,
            urgent_reason=urgent_reason if urgent else "",
        )
        step.record = order
        step.note = (
            f"{service.name} × {quantity}（{order.price_label()}）"
            + (f"，来自需求 {linked.number}" if linked else "")
            + (f"；申请加急（绿色通道）：{order.urgent_reason}" if urgent else "")
        )
        if linked is not None and batch is not None:
            step.note += f"，批量委托批次 {batch.number}"
            demands.pooled_order(linked, by=client, order_number=order.number, at=step.at)
        elif linked is not None:
            demands.order_placed(linked, by=client, order_number=order.number, at=step.at)
        notify(
            [service.organisation.account],
            f"新订单：{order.number}",
            ("【加急】" if urgent else "")
            + f"{service.name} × {quantity}，请确认{'并报价' if service.pricing == Pricing.QUOTE else ''}。",
            channels=[Channel.INBOX, Channel.SMS],
            now=step.at,
        )
    return order


def _started(order: Order) -> str:
    """After the step: the institution answers for the service clock's reminders; the order keeps
    a copy of its due time for lists and period statistics. Returns the date as people read it."""
    clock = clocks_for(order).filter(code=SERVICE_CLOCK, state=ClockState.RUNNING).first()
    if clock is None:  # pragma: no cover - the table starts it with the move
        raise WorkflowError("内部错误：服务周期未开始计时")
    clock.owner_id = order.institution.account_id
    clock.save(update_fields=["owner"])
    Order.objects.filter(pk=order.pk).update(due_at=clock.due_at)
    order.due_at = clock.due_at
    return f"{clock.due_at.astimezone(TZ):%Y-%m-%d}"


@transaction.atomic
def confirm(
    order: Order,
    *,
    by: User,
    version: int | None,
    price: Decimal | None = None,
    period_days: int | None = None,
    note: str = "",
) -> Order:
    """The institution confirms: a free or fixed-price order starts; a quoted one gets its
    price and period and waits for the client."""
    # A pooled order (DEM-13) carries the batch price already: it is confirmed, not quoted.
    quoting = order.service.pricing == Pricing.QUOTE and order.price is None
    action = "quote" if quoting else "confirm"
    with FLOW.step(order, action, by=by, version=version) as step:
        if period_days is not None:
            if not 1 <= period_days <= 365:
                raise WorkflowError("服务周期：应在 1–365 个工作日之间")
            step.set(period_days=period_days)
        order = step.record
        _check_qualified(order, step.at)
        if action == "quote":
            if price is None or price <= 0:
                raise WorkflowError("报价：按需报价的服务须填写大于 0 的价格")
            step.set(price=price)
            step.note = f"报价 ¥{price:,.2f}，服务周期 {order.period_days} 个工作日。{note}"
            notify(
                [order.client],
                f"订单 {order.number} 已报价",
                f"¥{price:,.2f}，请确认。",
                channels=[Channel.INBOX, Channel.SMS],
                now=step.at,
            )
        else:
            step.set(accepted_at=step.at)
            step.note = f"机构已确认，服务周期 {order.period_days} 个工作日。{note}"
    if action == "confirm":
        due = _started(order)
        notify([order.client], f"订单 {order.number} 已确认", f"约定 {due} 前完成。", now=step.at)
    return order


@transaction.atomic
def accept_quote(order: Order, *, by: User, version: int | None) -> Order:
    with FLOW.step(order, "accept", by=by, version=version) as step:
        _check_qualified(step.record, step.at)
        step.set(accepted_at=step.at)
        step.note = f"已确认报价，服务周期 {step.record.period_days} 个工作日"
    order = step.record
    due = _started(order)
    notify(
        [order.institution.account],
        f"订单 {order.number} 报价已确认",
        f"请按约定于 {due} 前完成服务。",
        now=step.at,
    )
    return order


def _settle_demand(step: Step[Order]) -> None:
    """The step ends this order: when it was the demand's last open order, the demand completes
    (an order was served) or goes back to its shortlist (none was)."""
    order = step.record
    if order.demand_id is None:
        return
    # Two orders of one demand ending at once: the second waits here and sees the first ended.
    demand = Demand.objects.select_for_update().get(pk=order.demand_id)
    others = Order.objects.filter(demand=demand).exclude(pk=order.pk)
    if others.filter(status__in=OPEN_ORDER_STATUSES).exists():
        return
    served = step.target == S.COMPLETED or others.filter(status=S.COMPLETED).exists()
    demands.orders_ended(demand, by=step.by, completed=served, at=step.at)


def refuse(order: Order, *, by: User, version: int | None, reason: str) -> Order:
    return _end(order, "refuse", by, version, reason, "不予受理原因")


def cancel(order: Order, *, by: User, version: int | None, reason: str) -> Order:
    return _end(order, "cancel", by, version, reason, "取消原因")


def _end(order: Order, action: str, by: User, version: int | None, note: str, field: str) -> Order:
    with FLOW.step(order, action, by=by, version=version, note=note.strip()) as step:
        if not note.strip():
            raise WorkflowError(f"{field}：必须填写")
        order = step.record
        _settle_demand(step)
        whom = order.client if action == "refuse" else order.institution.account
        label = S(step.target).label
        notify([whom], f"订单 {order.number} {label}", note.strip(), now=step.at)
    return order


def record_progress(order: Order, *, by: User, note: str) -> Order:
    """A progress step by the institution (样品已接收, 检测中 …), seen by all parties (ORD-2)."""
    with FLOW.step(order, "progress", by=by, note=note.strip()) as step:
        if not note.strip():
            raise WorkflowError("进度说明：必须填写")
        notify([step.record.client], f"订单 {order.number} 进度更新", note.strip(), now=step.at)
    return step.record


def _completed(step: Step[Order], note: str) -> None:
    order = step.record
    late = "（晚于约定时间）" if order.due_at and step.at > order.due_at else ""
    step.set(completed_at=step.at)
    step.note = (note.strip() or "服务已完成") + late
    step.clock_note = "服务已完成"
    _settle_demand(step)
    notify(
        [order.client],
        f"订单 {order.number} 已完成",
        "欢迎对本次服务进行评价。",
        channels=[Channel.INBOX, Channel.SMS],
        now=step.at,
    )


def complete(order: Order, *, by: User, version: int | None, note: str = "") -> Order:
    """The service is done without a report through the platform."""
    with FLOW.step(order, "complete", by=by, version=version) as step:
        _completed(step, note)
    return step.record


def issue_report(
    order: Order,
    *,
    by: User,
    version: int | None,
    source: bytes,
    filename: str,
    conclusion: str,
    verify_base: str,
    results: Iterable[tuple[str, str, bool]] = (),
) -> Report:
    """The institution issues the report (ORD-5): the platform's signed PDF; the order completes."""
    from qihub.accounts.models import Document, DocumentKind
    from qihub.accounts.uploads import upload_batch
    from qihub.orders import reports

    with FLOW.step(order, "issue_report", by=by, version=version) as step:
        order = step.record
        if not conclusion.strip():
            raise WorkflowError("结论：必须填写")
        reason = reports.is_real_pdf(source)
        if reason:
            raise WorkflowError(reason)
        number = next_number("BG", step.at)
        code = new_verification_code()
        client = (
            order.client_organisation.name if order.client_organisation else order.client.party_name
        )
        pdf = reports.render(
            {
                "number": number,
                "order": order,
                "client_name": client,
                "conclusion": conclusion.strip(),
                "issued_at": step.at,
                "verification_code": code,
            },
            source,
            f"{verify_base}/verify/{number}/?code={code}",
        )
        digest = reports.sha256_of(pdf)
        with upload_batch() as batch:
            source_doc = Document.objects.create(
                owner=by,
                kind=DocumentKind.SUPPORTING,
                **{
                    **batch.store(SimpleUploadedFile(filename[:200] or "report.pdf", source)),
                    "content_type": "application/pdf",
                },
            )
            issued_doc = Document.objects.create(
                owner=order.client,
                kind=DocumentKind.SUPPORTING,
                **{
                    **batch.store(SimpleUploadedFile(f"{number}.pdf", pdf)),
                    "content_type": "application/pdf",
                },
            )
            report = Report.objects.create(
                order=order,
                number=number,
                conclusion=conclusion.strip(),
                source=source_doc,
                issued=issued_doc,
                sha256=digest,
                signature=reports.sign(number, digest),
                issued_at=step.at,
                issued_by=by,
                verification_code=code,
            )
        ReportLine.objects.bulk_create(
            ReportLine(report=report, product=product, parameter=parameter, passed=passed)
            for product, parameter, passed in results
        )
        enterprise = order.client_organisation
        if enterprise is not None:
            from qihub.diagnosis.risks import refresh_risks

            # A second failure of the same parameter within 12 months is a risk at once (after
            # the lines are saved, which a post_save on the report would not see).
            refresh_risks(enterprise, now=step.at)
        _completed(step, f"已出具电子报告 {number}")
    return report


def record_collection(
    order: Order, *, by: User, collected_by: str, id_number: str, note: str = ""
) -> ReportCollection:
    """The paper report collected at a window on the client's behalf (代办领取)."""
    from qihub.core import pii

    with FLOW.step(order, "collection", by=by) as step:
        report = getattr(step.record, "report", None)
        if report is None:
            raise WorkflowError("该订单没有电子报告，不能登记代办领取")
        if not collected_by.strip():
            raise WorkflowError("领取人：必须填写")
        if len(id_number.strip()) < 6:
            raise WorkflowError("领取人证件号码：请填写完整")
        collection = ReportCollection.objects.create(
            report=report,
            collected_by=collected_by.strip(),
            id_masked=pii.mask(id_number.strip(), 3, 4),
            note=note.strip(),
            recorded_by=by,
            at=step.at,
        )
        step.note = f"报告由 {collected_by.strip()} 代办领取"
        notify(
            [step.record.client],
            f"报告 {report.number} 已被代领",
            f"领取人：{collected_by.strip()}",
            now=step.at,
        )
    return collection


@transaction.atomic
def set_urgent(order: Order, *, urgent: bool, by: User, version: int | None, reason: str) -> Order:
    """Flag an order urgent (绿色通道) or withdraw the flag, with the reason in the history; a
    running service clock switches to the urgent or agreed period from its start (DEM-14)."""
    from qihub.deadlines.queries import open_clock
    from qihub.deadlines.workflow import switch_clock

    reason = reason.strip()
    if not reason:
        raise WorkflowError("加急原因：必须填写" if urgent else "取消加急原因：必须填写")
    what = "转为加急（绿色通道）" if urgent else "取消加急"
    action = "urgent" if urgent else "unurgent"
    with FLOW.step(order, action, by=by, version=version, note=f"{what}：{reason}") as step:
        if step.record.urgent == urgent:
            raise WorkflowError("该订单已是加急订单" if urgent else "该订单不是加急订单")
        step.edit(urgent=urgent, urgent_reason=reason if urgent else "")
    order = step.record
    clock = open_clock(order, SERVICE_CLOCK)
    when = ""
    if clock is not None:
        clock = switch_clock(clock, order, by=by, at=step.at, note=f"{what}：{reason}")
        Order.objects.filter(pk=order.pk).update(due_at=clock.due_at)
        order.due_at = clock.due_at
        when = f"，约定 {clock.due_at.astimezone(TZ):%Y-%m-%d} 前完成"
    notify(
        [order.client, order.institution.account],
        f"订单 {order.number} 已{what}",
        f"原因：{reason}{when}。",
        channels=[Channel.INBOX],
        now=step.at,
    )
    return order
