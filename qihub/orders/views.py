"""Order pages: place from an institution's service (or a demand's shortlist), follow progress
and the service period; every record action is a row of `orders.actions.ACTIONS`."""

import secrets

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from qihub.accounts.permissions import role_required
from qihub.accounts.roles import ALL_STAFF, CLIENTS, INSTITUTIONS, is_handler
from qihub.core.lists import make_list
from qihub.core.workflow import Refused, WorkflowError
from qihub.deadlines.queries import clocks_of
from qihub.demands.forms import UnurgentForm, UrgentForm
from qihub.demands.models import Demand
from qihub.institutions.models import InstitutionService
from qihub.orders import forms, workflow
from qihub.orders.actions import ACTIONS
from qihub.orders.models import Order
from qihub.orders.tables import OrderFilter, OrderTable


def get_order_for(user: object, number: str) -> Order:
    order = ACTIONS.lookup(user, number)
    if order is None:
        raise Http404
    return order


def place(request: HttpRequest, service_id: int) -> HttpResponse:
    """Searching needs no account; ordering does (ORD-1): visitors are sent to log in here."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    workflow.FLOW.check_actor(request.user, None, "place")
    service = get_object_or_404(
        InstitutionService.objects.select_related("organisation"), pk=service_id
    )
    form = forms.PlaceForm(request.POST or None, initial={"demand": request.GET.get("demand", "")})
    blocked = workflow.why_not_orderable(service)
    if request.method == "POST" and form.is_valid():
        try:
            order = workflow.place(
                client=request.user,
                service=service,
                demand=form.cleaned_data["demand"] or None,
                description=form.cleaned_data["description"],
                quantity=form.cleaned_data["quantity"],
                urgent=form.cleaned_data["urgent"],
                urgent_reason=form.cleaned_data["urgent_reason"],
            )
        except Refused:
            raise
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"订单 {order.number} 已提交，等待机构确认")
            return redirect("orders:detail", number=order.number)
    number = form["demand"].value() or ""
    # Only the client's own demand is named on the page; the workflow checks the rest.
    demand = Demand.objects.filter(number=number, client=request.user).first() if number else None
    return render(
        request,
        "orders/place.html",
        {"form": form, "service": service, "blocked": blocked, "demand": demand},
        status=400 if form.errors else 200,
    )


def order_list(request: HttpRequest, orders: QuerySet[Order], title: str) -> HttpResponse:
    # The evaluation decides the "下一步" column; fetched with the row rather than once per row.
    orders = orders.select_related(
        "service", "institution", "client__organisation", "evaluation"
    ).order_by("-urgent", "-placed_at")  # the green channel first (DEM-14)
    empty_action = None
    if request.user.role in CLIENTS:
        empty_action = ("去找服务", reverse("institutions:search"))
    table = make_list(
        request, OrderTable, orders, filterset_class=OrderFilter, empty_action=empty_action
    )
    return render(request, "orders/list.html", {"table": table, "title": title})


@role_required(*CLIENTS)
def my_orders(request: HttpRequest) -> HttpResponse:
    return order_list(request, Order.objects.filter(client=request.user), "我的订单")


@role_required(*INSTITUTIONS)
def institution_orders(request: HttpRequest) -> HttpResponse:
    return order_list(request, Order.objects.visible_to(request.user), "收到的订单")


@role_required(*ALL_STAFF)
def staff_orders(request: HttpRequest) -> HttpResponse:
    return order_list(request, Order.objects.visible_to(request.user), "订单进度（全部）")


def detail(request: HttpRequest, number: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    order = get_order_for(request.user, number)
    version = {"version": order.version}
    return render(
        request,
        "orders/detail.html",
        {
            "order": order,
            "events": order.events.select_related("by__organisation"),
            "clocks": clocks_of(order, timezone.now()),
            "can": ACTIONS.buttons(request.user, order),
            "is_client": request.user.pk == order.client_id,
            "confirm_form": forms.ConfirmForm(
                initial={**version, "period_days": order.period_days}
            ),
            "reason_form": forms.ReasonForm(initial=version),
            "urgent_form": UrgentForm(initial=version),
            "unurgent_form": UnurgentForm(initial=version),
            "progress_form": forms.ProgressForm(),
            "complete_form": forms.CompleteForm(initial=version),
            "report_form": forms.ReportForm(initial=version),
            "collection_form": forms.CollectionForm(),
            "report": getattr(order, "report", None),
            # Windows enter phone and SMS evaluations and return visits for the client.
            "is_window": is_handler(request.user),
        },
    )


def report_file(user: object, number: str) -> HttpResponse | None:
    """The issued PDF for the parties of the order and staff (download and print), for the page
    and the API alike; None when the order is not the user's to see or has no report yet."""
    from django.http import FileResponse

    from qihub.accounts.uploads import open_stored

    order = ACTIONS.lookup(user, number)
    report = getattr(order, "report", None) if order is not None else None
    if report is None:
        return None
    return FileResponse(
        open_stored(report.issued.stored_name),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{report.number}.pdf",
    )


def download_report(request: HttpRequest, number: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    response = report_file(request.user, number)
    if response is None:
        raise Http404
    return response


def verify(request: HttpRequest, number: str) -> HttpResponse:
    """Public check of a report (ORD-5): valid, tampered or unknown."""
    from qihub.accounts.uploads import read_stored
    from qihub.orders import reports
    from qihub.orders.models import Report

    report = Report.objects.filter(number=number).select_related("order__institution").first()
    form = forms.VerifyForm(request.POST or None, request.FILES or None)
    result, checked_upload = "unknown", False
    if report is not None:
        stored = reports.sha256_of(read_stored(report.issued.stored_name))
        genuine = stored == report.sha256 and reports.signature_valid(
            number, report.sha256, report.signature
        )
        result = "valid" if genuine else "tampered"
        if genuine and request.method == "POST" and form.is_valid():
            checked_upload = True
            uploaded = reports.sha256_of(form.cleaned_data["file"].read())
            result = "valid" if uploaded == report.sha256 else "tampered"
    code = (request.GET.get("code") or request.POST.get("code") or "").strip().upper()
    holder = report is not None and secrets.compare_digest(code, report.verification_code)
    return render(
        request,
        "orders/verify.html",
        {
            "number": number,
            "report": report,
            "result": result,
            "form": form,
            "checked_upload": checked_upload,
            "holder": holder,
            "code": code if holder else "",
        },
        status=404 if report is None else 200,
    )
