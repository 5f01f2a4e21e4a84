"""Orders through the API (ORD-1, ORD-2, ORD-6): the same rules as the pages."""

from django.http import HttpRequest
from ninja import Router, Status
from ninja.security import django_auth

from qihub.core.api import invalid
from qihub.institutions.models import InstitutionService
from qihub.orders import forms, workflow
from qihub.orders.models import Order
from qihub.orders.views import CLIENTS

router = Router(tags=["服务订单"], auth=django_auth)


def _summary(order: Order) -> dict:
    return {
        "number": order.number,
        "status": order.status,
        "status_label": order.get_status_display(),
        "service": order.service.name,
        "institution": order.institution.name,
        "institution_uscc": order.institution.uscc,
        "free": order.free,
        "price": str(order.price) if order.price is not None else None,
        "quantity": order.quantity,
        "period_working_days": order.period_days,
        "version": order.version,
        "due_at": order.due_at.isoformat() if order.due_at else None,
        "progress": [{"at": e.at.isoformat(), "note": e.note} for e in order.events.all()],
    }


@router.get("/orders", response=list[dict], summary="我的订单（机构：收到的订单；工作人员：全部）")
def orders(request: HttpRequest) -> list[dict]:
    rows = Order.objects.visible_to(request.user).select_related("service", "institution")
    return [_summary(o) for o in rows.prefetch_related("events")[:200]]


@router.post(
    "/orders",
    response={201: dict, 403: dict, 404: dict, 409: dict, 422: dict},
    summary="下单（service=机构服务项目编号，description，quantity）",
)
def place(request: HttpRequest) -> Status:
    if request.user.role not in CLIENTS:
        return Status(403, {"detail": "只有企业或个人用户可以下单"})
    service_id = str(request.POST.get("service", ""))
    service = (
        InstitutionService.objects.filter(pk=service_id).first() if service_id.isdigit() else None
    )
    if service is None:
        return Status(404, {"detail": "service：没有该服务项目"})
    form = forms.PlaceForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    try:
        order = workflow.place(
            client=request.user,
            service=service,
            description=form.cleaned_data["description"],
            quantity=form.cleaned_data["quantity"],
        )
    except workflow.OrderError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, _summary(order))


@router.get("/orders/{number}", response={200: dict, 404: dict}, summary="订单详情与进度")
def order(request: HttpRequest, number: str) -> Status:
    found = Order.objects.visible_to(request.user).filter(number=number).first()
    if found is None:
        return Status(404, {"detail": "没有该订单"})
    return Status(200, _summary(found))


@router.post(
    "/orders/{number}/confirm",
    response={200: dict, 404: dict, 409: dict, 422: dict},
    summary="机构确认订单（按需报价时填写 price、period_days）",
)
def confirm(request: HttpRequest, number: str) -> Status:
    found = Order.objects.visible_to(request.user).filter(number=number).first()
    if found is None:
        return Status(404, {"detail": "没有该订单"})
    form = forms.ConfirmForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    try:
        workflow.confirm(
            found,
            by=request.user,
            version=form.cleaned_data["version"],
            price=form.cleaned_data["price"],
            period_days=form.cleaned_data["period_days"],
            note=form.cleaned_data["note"],
        )
    except workflow.OrderError as exc:
        return Status(409, {"detail": str(exc)})
    found.refresh_from_db()
    return Status(200, _summary(found))


ACTION = {200: dict, 404: dict, 409: dict, 422: dict}


def _act(request: HttpRequest, number: str, form: object, action: object) -> Status:
    found = Order.objects.visible_to(request.user).filter(number=number).first()
    if found is None:
        return Status(404, {"detail": "没有该订单"})
    if not form.is_valid():
        return invalid(form)
    try:
        action(found, form.cleaned_data)
    except workflow.OrderError as exc:
        return Status(409, {"detail": str(exc)})
    found.refresh_from_db()
    return Status(200, _summary(found))


@router.post("/orders/{number}/accept", response=ACTION, summary="下单人接受报价")
def accept(request: HttpRequest, number: str) -> Status:
    return _act(
        request,
        number,
        forms.CompleteForm(request.POST),
        lambda o, c: workflow.accept_quote(o, by=request.user, version=c["version"]),
    )


@router.post("/orders/{number}/refuse", response=ACTION, summary="机构不予受理（reason）")
def refuse(request: HttpRequest, number: str) -> Status:
    return _act(
        request,
        number,
        forms.ReasonForm(request.POST),
        lambda o, c: workflow.refuse(o, by=request.user, version=c["version"], reason=c["reason"]),
    )


@router.post("/orders/{number}/cancel", response=ACTION, summary="下单人取消（reason）")
def cancel(request: HttpRequest, number: str) -> Status:
    return _act(
        request,
        number,
        forms.ReasonForm(request.POST),
        lambda o, c: workflow.cancel(o, by=request.user, version=c["version"], reason=c["reason"]),
    )


@router.post("/orders/{number}/progress", response=ACTION, summary="机构登记进度（note）")
def progress(request: HttpRequest, number: str) -> Status:
    return _act(
        request,
        number,
        forms.ProgressForm(request.POST),
        lambda o, c: workflow.record_progress(o, by=request.user, note=c["note"]),
    )


@router.post(
    "/orders/{number}/report",
    response=ACTION,
    summary="机构出具电子报告（multipart：report=PDF，conclusion，version）",
)
def report(request: HttpRequest, number: str) -> Status:
    return _act(
        request,
        number,
        forms.ReportForm(request.POST, request.FILES),
        lambda o, c: workflow.issue_report(
            o,
            by=request.user,
            version=c["version"],
            source=c["report"],
            filename=request.FILES["report"].name,
            conclusion=c["conclusion"],
            verify_base=request.build_absolute_uri("/")[:-1],
        ),
    )
