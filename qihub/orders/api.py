"""Orders through the API (ORD-1, ORD-2, ORD-5, ORD-6): the same forms, visibility and workflow
as the pages; every record action comes from the order's action table."""

from django import forms as django_forms
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Status

from qihub.accounts.tokens import AUTH
from qihub.core.api import form_body, invalid
from qihub.core.workflow import Refused, WorkflowError
from qihub.deadlines.queries import clocks_of, clocks_of_each
from qihub.institutions.models import InstitutionService
from qihub.orders import forms, workflow
from qihub.orders.actions import ACTIONS
from qihub.orders.models import Order
from qihub.orders.views import report_file

router = Router(tags=["服务订单"], auth=AUTH)


def summary(order: Order, user: object = None, clocks: list[dict] | None = None) -> dict:
    """The order as the API shows it; a list passes each order's `clocks`, read for all at once."""
    now = timezone.now()
    clocks = clocks_of(order, now) if clocks is None else clocks
    return {
        "number": order.number,
        "status": order.status,
        "status_label": order.get_status_display(),
        "service": order.service.name,
        "institution": order.institution.name,
        "institution_uscc": order.institution.uscc,
        "demand": order.demand.number if order.demand_id else None,
        "free": order.free,
        "price": str(order.price) if order.price is not None else None,
        "quantity": order.quantity,
        "period_working_days": order.period_days,
        "version": order.version,
        "urgent": order.urgent,
        "urgent_reason": order.urgent_reason,
        "due_at": order.due_at.isoformat() if order.due_at else None,
        "clocks": [
            {
                "name": c["name"],
                "due_at": c["due_at"].isoformat(),
                "label": c["label"],
                "overdue": c["overdue"],
            }
            for c in clocks
        ],
        "progress": [
            {
                "at": e.at.isoformat(),
                "kind": e.kind,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "note": e.note,
            }
            for e in order.events.all()
        ],
    }


@router.get("/orders", response=list[dict], summary="我的订单（机构：收到的订单；工作人员：全部）")
def orders(request: HttpRequest) -> list[dict]:
    rows = Order.objects.visible_to(request.user).select_related("service", "institution", "demand")
    rows = rows.order_by("-urgent", "-placed_at")  # the green channel first (DEM-14)
    page = list(rows.prefetch_related("events")[:200])
    clocks = clocks_of_each(page, timezone.now())
    return [summary(o, request.user, clocks[o.pk]) for o in page]


@router.post(
    "/orders",
    response={201: dict, 403: dict, 404: dict, 409: dict, 422: dict},
    summary="下单（service=机构服务项目编号，description，quantity；从推荐名单下单时 demand=需求编号）",
)
@form_body(forms.PlaceForm, service=django_forms.IntegerField(label="服务项目编号"))
def place(request: HttpRequest) -> Status:
    try:
        workflow.FLOW.check_actor(request.user, None, "place")
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    service_id = str(request.POST.get("service", ""))
    service = (
        InstitutionService.objects.filter(pk=service_id).first() if service_id.isdigit() else None
    )
    if service is None:
        return Status(404, {"detail": "服务项目（service）：没有该服务项目"})
    form = forms.PlaceForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    try:
        order = workflow.place(
            client=request.user,
            service=service,
            description=form.cleaned_data["description"],
            quantity=form.cleaned_data["quantity"],
            demand=form.cleaned_data["demand"] or None,
            urgent=form.cleaned_data["urgent"],
            urgent_reason=form.cleaned_data["urgent_reason"],
        )
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, summary(order, request.user))


@router.get("/orders/{number}", response={200: dict, 404: dict}, summary="订单详情、服务周期与进度")
def order(request: HttpRequest, number: str) -> Status:
    found = ACTIONS.lookup(request.user, number)
    if found is None:
        return Status(404, {"detail": "没有该订单"})
    return Status(200, summary(found, request.user))


@router.get(
    "/orders/{number}/report.pdf",
    response={200: None, 404: dict},
    summary="下载订单的电子报告（PDF，下单人、接单机构与工作人员）",
)
def report_pdf(request: HttpRequest, number: str) -> HttpResponse | Status:
    response = report_file(request.user, number)
    if response is None:
        return Status(404, {"detail": "没有该订单，或报告尚未出具"})
    return response


ACTIONS.register_api(router, "/orders")
