"""Evaluating a completed order (EVAL-1) and return visits (EVAL-2)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from qihub.evaluations import forms, workflow
from qihub.evaluations.models import INDICATORS, ReturnVisit
from qihub.orders.views import get_order_for


def evaluate(request: HttpRequest, number: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    order = get_order_for(request.user, number)
    staff = request.user.role in workflow.STAFF
    if not staff and request.user.pk != order.client_id:
        raise PermissionDenied("只有下单人可以评价该订单")
    form = forms.EvaluationForm(request.POST or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            workflow.evaluate(
                order,
                by=request.user,
                scores={k: data[k] for k in INDICATORS},
                comment=data["comment"],
                channel=data.get("channel", "online"),
                entered_by=request.user if staff else None,
            )
        except workflow.EvaluationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "感谢您的评价" if not staff else "评价已代录")
            return redirect("orders:detail", number=number)
    existing = getattr(order, "evaluation", None)
    return render(
        request,
        "evaluations/evaluate.html",
        {"order": order, "form": form, "staff": staff, "existing": existing},
        status=400 if form.errors else 200,
    )


def return_visits(request: HttpRequest, number: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    order = get_order_for(request.user, number)
    if request.user.role not in workflow.STAFF:
        raise PermissionDenied("只有平台或站点工作人员可以办理回访")
    schedule = forms.ScheduleForm(request.POST if "on" in request.POST else None)
    result = forms.VisitResultForm(request.POST if "visit" in request.POST else None)
    try:
        if schedule.is_bound and schedule.is_valid():
            workflow.schedule_return_visit(order, by=request.user, on=schedule.cleaned_data["on"])
            messages.success(request, "回访已安排")
            return redirect("evaluations:return_visits", number=number)
        if result.is_bound and result.is_valid():
            visit = get_object_or_404(ReturnVisit, pk=result.cleaned_data["visit"], order=order)
            workflow.record_return_visit(
                visit,
                by=request.user,
                method=result.cleaned_data["method"],
                result=result.cleaned_data["result"],
                satisfied=result.cleaned_data["satisfied"],
            )
            messages.success(request, "回访结果已登记")
            return redirect("evaluations:return_visits", number=number)
    except workflow.EvaluationError as exc:
        messages.error(request, str(exc))
    return render(
        request,
        "evaluations/return_visits.html",
        {
            "order": order,
            "visits": order.return_visits.select_related("scheduled_by", "done_by"),
            "schedule_form": schedule,
            "result_form": forms.VisitResultForm(),
        },
        status=400 if schedule.errors or result.errors else 200,
    )
