"""Order pages: place from an institution's service, follow progress, act by role."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from qihub.accounts.models import Role
from qihub.accounts.permissions import role_required
from qihub.core.actions import run_action
from qihub.demands.models import Demand
from qihub.institutions.models import InstitutionService
from qihub.orders import forms, workflow
from qihub.orders.models import Order

CLIENTS = (Role.ENTERPRISE, Role.INDIVIDUAL)
STAFF = (Role.OPERATOR, Role.ADMIN, Role.SUPERVISOR, Role.STATION_STAFF)


def get_order_for(user: object, number: str) -> Order:
    order = (
        Order.objects.visible_to(user)
        .filter(number=number)
        .select_related("service", "institution", "client")
        .first()
    )
    if order is None:
        raise Http404
    return order


def place(request: HttpRequest, service_id: int) -> HttpResponse:
    """Searching needs no account; ordering does (ORD-1): visitors are sent to log in here."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.role not in CLIENTS:
        raise PermissionDenied("只有企业或个人用户可以下单")
    service = get_object_or_404(
        InstitutionService.objects.select_related("organisation"), pk=service_id
    )
    form = forms.PlaceForm(request.POST or None, initial={"demand": request.GET.get("demand", "")})
    blocked = workflow.why_not_orderable(service)
    if request.method == "POST" and form.is_valid():
        demand = None
        if form.cleaned_data["demand"]:
            demand = Demand.objects.filter(
                number=form.cleaned_data["demand"], client=request.user
            ).first()
        try:
            order = workflow.place(
                client=request.user,
                service=service,
                demand=demand,
                description=form.cleaned_data["description"],
                quantity=form.cleaned_data["quantity"],
            )
        except workflow.OrderError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"订单 {order.number} 已提交，等待机构确认")
            return redirect("orders:detail", number=order.number)
    return render(
        request,
        "orders/place.html",
        {"form": form, "service": service, "blocked": blocked},
        status=400 if form.errors else 200,
    )


@role_required(*CLIENTS)
def my_orders(request: HttpRequest) -> HttpResponse:
    orders = Order.objects.filter(client=request.user).select_related("service", "institution")
    return render(request, "orders/list.html", {"orders": orders, "title": "我的订单"})


@role_required(Role.INSTITUTION)
def institution_orders(request: HttpRequest) -> HttpResponse:
    orders = Order.objects.visible_to(request.user).select_related("service", "client")
    return render(request, "orders/list.html", {"orders": orders, "title": "收到的订单"})


@role_required(*STAFF)
def staff_orders(request: HttpRequest) -> HttpResponse:
    orders = Order.objects.select_related("service", "institution", "client")[:500]
    return render(request, "orders/list.html", {"orders": orders, "title": "订单进度（全部）"})


def detail(request: HttpRequest, number: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    order = get_order_for(request.user, number)
    version = {"version": order.version}
    is_institution = request.user.role == Role.INSTITUTION
    return render(
        request,
        "orders/detail.html",
        {
            "order": order,
            "events": order.events.select_related("by"),
            "is_client": request.user.pk == order.client_id,
            "is_institution": is_institution,
            "confirm_form": forms.ConfirmForm(
                initial={**version, "period_days": order.period_days}
            ),
            "reason_form": forms.ReasonForm(initial=version),
            "progress_form": forms.ProgressForm(),
            "complete_form": forms.CompleteForm(initial=version),
            "report_form": forms.ReportForm(initial=version),
            "collection_form": forms.CollectionForm(),
            "report": getattr(order, "report", None),
            "is_window": request.user.role in (Role.STATION_STAFF, Role.OPERATOR, Role.ADMIN),
        },
    )


def _act(
    request: HttpRequest, number: str, form_class: type, action: object, done: str
) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    order = get_order_for(request.user, number)
    if request.method != "POST":
        return redirect("orders:detail", number=number)
    run_action(
        request,
        form_class(request.POST),
        lambda data: action(order, data),
        done,
        (workflow.OrderError,),
    )
    return redirect("orders:detail", number=number)


def confirm(request: HttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        forms.ConfirmForm,
        lambda o, c: workflow.confirm(
            o,
            by=request.user,
            version=c["version"],
            price=c["price"],
            period_days=c["period_days"],
            note=c["note"],
        ),
        "订单已确认",
    )


def accept(request: HttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        forms.CompleteForm,
        lambda o, c: workflow.accept_quote(o, by=request.user, version=c["version"]),
        "已确认报价，机构将开始服务",
    )


def refuse(request: HttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        forms.ReasonForm,
        lambda o, c: workflow.refuse(o, by=request.user, version=c["version"], reason=c["reason"]),
        "已不予受理并通知下单人",
    )


def cancel(request: HttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        forms.ReasonForm,
        lambda o, c: workflow.cancel(o, by=request.user, version=c["version"], reason=c["reason"]),
        "订单已取消",
    )


def progress(request: HttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        forms.ProgressForm,
        lambda o, c: workflow.record_progress(o, by=request.user, note=c["note"]),
        "进度已登记",
    )


def complete(request: HttpRequest, number: str) -> HttpResponse:
    return _act(
        request,
        number,
        forms.CompleteForm,
        lambda o, c: workflow.complete(o, by=request.user, version=c["version"], note=c["note"]),
        "订单已完成",
    )


def issue_report(request: HttpRequest, number: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    order = get_order_for(request.user, number)
    if request.method != "POST":
        return redirect("orders:detail", number=number)

    def issue(data: dict) -> None:
        workflow.issue_report(
            order,
            by=request.user,
            version=data["version"],
            source=data["report"],
            filename=request.FILES["report"].name,
            conclusion=data["conclusion"],
            verify_base=request.build_absolute_uri("/")[:-1],
        )

    run_action(
        request,
        forms.ReportForm(request.POST, request.FILES),
        issue,
        "电子报告已签发，订单已完成",
        (workflow.OrderError,),
    )
    return redirect("orders:detail", number=number)


def download_report(request: HttpRequest, number: str) -> HttpResponse:
    """The issued PDF for the parties of the order and staff (download and print)."""
    from django.http import FileResponse

    from qihub.accounts.uploads import path_of

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    order = get_order_for(request.user, number)
    report = getattr(order, "report", None)
    if report is None:
        raise Http404
    return FileResponse(
        path_of(report.issued.stored_name).open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{report.number}.pdf",
    )


def collection(request: HttpRequest, number: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    order = get_order_for(request.user, number)
    report = getattr(order, "report", None)
    if report is None or request.method != "POST":
        return redirect("orders:detail", number=number)
    run_action(
        request,
        forms.CollectionForm(request.POST),
        lambda data: workflow.record_collection(report, by=request.user, **data),
        "代办领取已登记",
        (workflow.OrderError,),
    )
    return redirect("orders:detail", number=number)


def verify(request: HttpRequest, number: str) -> HttpResponse:
    """Public check of a report (ORD-5): valid, tampered or unknown."""
    from qihub.accounts.uploads import path_of
    from qihub.orders import reports
    from qihub.orders.models import Report

    report = Report.objects.filter(number=number).select_related("order__institution").first()
    form = forms.VerifyForm(request.POST or None, request.FILES or None)
    result, checked_upload = "unknown", False
    if report is not None:
        stored = reports.sha256_of(path_of(report.issued.stored_name).read_bytes())
        genuine = stored == report.sha256 and reports.signature_valid(
            number, report.sha256, report.signature
        )
        result = "valid" if genuine else "tampered"
        if genuine and request.method == "POST" and form.is_valid():
            checked_upload = True
            uploaded = reports.sha256_of(form.cleaned_data["file"].read())
            result = "valid" if uploaded == report.sha256 else "tampered"
    return render(
        request,
        "orders/verify.html",
        {
            "number": number,
            "report": report,
            "result": result,
            "form": form,
            "checked_upload": checked_upload,
        },
        status=404 if report is None else 200,
    )
