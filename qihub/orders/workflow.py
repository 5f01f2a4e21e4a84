"""Every change of an order's status goes through here (ORD-1, ORD-2, ORD-6).

Free and fixed-price services are confirmed by the institution directly; quoted ones need the
institution's price and period, then the client's acceptance. The agreed completion time is
counted in working days from acceptance.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from qihub.accounts.models import Organisation, Role, User
from qihub.core.numbering import next_number
from qihub.core.records import lock_at_version, save_next_version
from qihub.demands.models import Demand
from qihub.institutions.models import InstitutionService, Pricing
from qihub.institutions.workflow import listed_institutions
from qihub.notifications.models import Channel
from qihub.notifications.outbox import notify
from qihub.orders.models import Order, OrderEvent, OrderStatus, Report, ReportCollection
from qihub.workcal.calendar import TZ
from qihub.workcal.services import load_calendar


class OrderError(Exception):
    pass


class Conflict(OrderError):
    def __init__(self) -> None:
        super().__init__("该订单已被他人处理，请刷新页面查看最新状态后再操作")


def _event(order: Order, kind: str, at: dt.datetime, by: User | None, note: str = "") -> None:
    OrderEvent.objects.create(order=order, kind=kind, at=at, by=by, note=note[:500])


def _is_institution(order: Order, user: User) -> bool:
    return user.role == Role.INSTITUTION and order.institution.account_id == user.pk


def why_not_orderable(service: InstitutionService, today: dt.date | None = None) -> str:
    """The reason a service cannot be ordered now, or "" (MATCH-3: only within a valid scope)."""
    today = today or dt.datetime.now(TZ).date()
    institution = service.organisation
    if not service.published:
        return "该服务项目已下架"
    if not listed_institutions(today).filter(pk=institution.pk).exists():
        return f"{institution.name} 当前没有有效资质（或已注销），暂不能下单"
    if not institution.scope_lines.filter(category=service.category).exists():
        return f"{institution.name} 的资质能力范围不包含“{service.get_category_display()}”类服务"
    return ""


@transaction.atomic
def place(
    *,
    client: User,
    service: InstitutionService,
    description: str,
    quantity: int = 1,
    demand: Demand | None = None,
    at: dt.datetime | None = None,
) -> Order:
    """A logged-in member orders a service item (ORD-1)."""
    if client.role not in (Role.ENTERPRISE, Role.INDIVIDUAL) or not client.verified_at:
        raise OrderError("下单人：须为已通过实名认证的企业或个人用户")
    reason = why_not_orderable(service)
    if reason:
        raise OrderError(f"不能下单：{reason}")
    if not description.strip():
        raise OrderError("服务要求：必须填写")
    if not 1 <= quantity <= 10000:
        raise OrderError("数量：应在 1–10000 之间")
    if demand is not None and demand.client_id != client.pk:
        raise OrderError("关联需求：不是您的需求")
    at = at or timezone.now()
    free = service.pricing == Pricing.FREE
    price = None
    if service.pricing == Pricing.FIXED and service.price is not None:
        price = service.price * Decimal(quantity)
    order = Order.objects.create(
        number=next_number("DD", at),
        client=client,
        client_organisation=Organisation.objects.filter(account=client).first(),
        institution=service.organisation,
        service=service,
        demand=demand,
        description=description.strip(),
        quantity=quantity,
        free=free,
        price=Decimal(0) if free else price,
        period_days=service.period_days,
        status=OrderStatus.PLACED,
        placed_at=at,
    )
    _event(order, "placed", at, client, f"{service.name} × {quantity}（{order.price_label()}）")
    notify(
        [service.organisation.account],
        f"新订单：{order.number}",
        f"{service.name} × {quantity}，请确认{'并报价' if service.pricing == Pricing.QUOTE else ''}。",
        channels=[Channel.INBOX, Channel.SMS],
        now=at,
    )
    return order


def _start_service(order: Order, at: dt.datetime) -> str:
    """Start the service; returns the agreed completion date as people read it."""
    due = load_calendar().add_working_days(at, order.period_days).at
    order.status = OrderStatus.ACCEPTED
    order.accepted_at = at
    order.due_at = due
    return f"{due.astimezone(TZ):%Y-%m-%d}"


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
    order = lock_at_version(order, version, Conflict)
    if not _is_institution(order, by):
        raise OrderError("只有接单机构可以确认订单")
    if order.status != OrderStatus.PLACED:
        raise Conflict
    at = timezone.now()
    if period_days is not None:
        if not 1 <= period_days <= 365:
            raise OrderError("服务周期：应在 1–365 个工作日之间")
        order.period_days = period_days
    if order.service.pricing == Pricing.QUOTE:
        if price is None or price <= 0:
            raise OrderError("报价：按需报价的服务须填写大于 0 的价格")
        order.price = price
        order.status = OrderStatus.QUOTED
        save_next_version(order, "price", "period_days", "status")
        _event(
            order,
            "quoted",
            at,
            by,
            f"报价 ¥{price:,.2f}，服务周期 {order.period_days} 个工作日。{note}",
        )
        notify(
            [order.client],
            f"订单 {order.number} 已报价",
            f"¥{price:,.2f}，请确认。",
            channels=[Channel.INBOX, Channel.SMS],
            now=at,
        )
        return order
    due = _start_service(order, at)
    save_next_version(order, "status", "accepted_at", "due_at", "period_days")
    _event(
        order,
        "accepted",
        at,
        by,
        f"机构已确认，约定 {due} 前完成。{note}",
    )
    notify([order.client], f"订单 {order.number} 已确认", f"约定 {due} 前完成。", now=at)
    return order


@transaction.atomic
def accept_quote(order: Order, *, by: User, version: int | None) -> Order:
    order = lock_at_version(order, version, Conflict)
    if by.pk != order.client_id:
        raise OrderError("只有下单人可以确认报价")
    if order.status != OrderStatus.QUOTED:
        raise Conflict
    at = timezone.now()
    due = _start_service(order, at)
    save_next_version(order, "status", "accepted_at", "due_at")
    _event(order, "accepted", at, by, f"已确认报价，约定 {due} 前完成")
    notify(
        [order.institution.account], f"订单 {order.number} 报价已确认", "请按约定提供服务。", now=at
    )
    return order


@transaction.atomic
def refuse(order: Order, *, by: User, version: int | None, reason: str) -> Order:
    order = lock_at_version(order, version, Conflict)
    if not _is_institution(order, by):
        raise OrderError("只有接单机构可以不予受理")
    if order.status not in (OrderStatus.PLACED, OrderStatus.QUOTED):
        raise Conflict
    if not reason.strip():
        raise OrderError("不予受理原因：必须填写")
    return _end(order, OrderStatus.REFUSED, by, reason, notify_whom=[order.client])


@transaction.atomic
def cancel(order: Order, *, by: User, version: int | None, reason: str) -> Order:
    order = lock_at_version(order, version, Conflict)
    if by.pk != order.client_id:
        raise OrderError("只有下单人可以取消订单")
    if order.status not in (OrderStatus.PLACED, OrderStatus.QUOTED):
        raise OrderError("服务已开始，不能在线取消，请与机构协商")
    if not reason.strip():
        raise OrderError("取消原因：必须填写")
    return _end(order, OrderStatus.CANCELLED, by, reason, notify_whom=[order.institution.account])


def _end(order: Order, status: str, by: User, note: str, notify_whom: list[User]) -> Order:
    at = timezone.now()
    order.status = status
    save_next_version(order, "status")
    _event(order, status, at, by, note.strip())
    notify(notify_whom, f"订单 {order.number} {OrderStatus(status).label}", note.strip(), now=at)
    return order


@transaction.atomic
def record_progress(order: Order, *, by: User, note: str) -> OrderEvent:
    """A progress step by the institution (样品已接收, 检测中 …), seen by all parties (ORD-2)."""
    order = lock_at_version(order, None, Conflict)
    if not _is_institution(order, by):
        raise OrderError("只有接单机构可以登记进度")
    if order.status != OrderStatus.ACCEPTED:
        raise OrderError("订单不在服务中，不能登记进度")
    if not note.strip():
        raise OrderError("进度说明：必须填写")
    at = timezone.now()
    _event(order, "progress", at, by, note.strip())
    save_next_version(order)
    notify([order.client], f"订单 {order.number} 进度更新", note.strip(), now=at)
    return order.events.latest("id")


@transaction.atomic
def complete(order: Order, *, by: User, version: int | None, note: str = "") -> Order:
    """The service is done (the report is issued with ORD-5)."""
    order = lock_at_version(order, version, Conflict)
    if not _is_institution(order, by):
        raise OrderError("只有接单机构可以完成订单")
    if order.status != OrderStatus.ACCEPTED:
        raise Conflict
    at = timezone.now()
    order.status = OrderStatus.COMPLETED
    order.completed_at = at
    save_next_version(order, "status", "completed_at")
    late = "（晚于约定时间）" if order.due_at and at > order.due_at else ""
    _event(order, "completed", at, by, (note.strip() or "服务已完成") + late)
    notify(
        [order.client],
        f"订单 {order.number} 已完成",
        "欢迎对本次服务进行评价。",
        channels=[Channel.INBOX, Channel.SMS],
        now=at,
    )
    return order


@transaction.atomic
def issue_report(
    order: Order,
    *,
    by: User,
    version: int | None,
    source: bytes,
    filename: str,
    conclusion: str,
    verify_base: str,
) -> Report:
    """The institution issues the report (ORD-5): the platform's signed PDF; the order completes."""
    from qihub.accounts.models import Document, DocumentKind
    from qihub.accounts.uploads import upload_batch
    from qihub.orders import reports

    order = lock_at_version(order, version, Conflict)
    if not _is_institution(order, by):
        raise OrderError("只有接单机构可以出具报告")
    if order.status != OrderStatus.ACCEPTED:
        raise OrderError("订单不在服务中，不能出具报告")
    if not conclusion.strip():
        raise OrderError("结论：必须填写")
    reason = reports.is_real_pdf(source)
    if reason:
        raise OrderError(reason)
    at = timezone.now()
    number = next_number("BG", at)
    client = (
        order.client_organisation.name
        if order.client_organisation
        else (order.client.display_name or order.client.username)
    )
    pdf = reports.render(
        {
            "number": number,
            "order": order,
            "client_name": client,
            "conclusion": conclusion.strip(),
            "issued_at": at,
        },
        source,
        f"{verify_base}/verify/{number}/",
    )
    digest = reports.sha256_of(pdf)
    from django.core.files.uploadedfile import SimpleUploadedFile

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
            issued_at=at,
            issued_by=by,
        )
    complete(order, by=by, version=order.version, note=f"已出具电子报告 {number}")
    return report


@transaction.atomic
def record_collection(
    report: Report, *, by: User, collected_by: str, id_number: str, note: str = ""
) -> ReportCollection:
    """The paper report collected at a window on the client's behalf (代办领取)."""
    from qihub.core import pii

    if by.role not in (Role.STATION_STAFF, Role.OPERATOR, Role.ADMIN):
        raise OrderError("只有窗口或站点工作人员可以登记代办领取")
    if not collected_by.strip():
        raise OrderError("领取人：必须填写")
    if len(id_number.strip()) < 6:
        raise OrderError("领取人证件号码：请填写完整")
    collection = ReportCollection.objects.create(
        report=report,
        collected_by=collected_by.strip(),
        id_masked=pii.mask(id_number.strip(), 3, 4),
        note=note.strip(),
        recorded_by=by,
    )
    _event(report.order, "collected", collection.at, by, f"报告由 {collected_by.strip()} 代办领取")
    notify(
        [report.order.client], f"报告 {report.number} 已被代领", f"领取人：{collected_by.strip()}"
    )
    return collection
