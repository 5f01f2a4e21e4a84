"""Evaluating a completed order (EVAL-1) and return visits (EVAL-2)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from qihub.accounts.permissions import role_required
from qihub.accounts.roles import BACK_OFFICE, HANDLERS, is_handler
from qihub.core.actions import run_action
from qihub.core.exports import xlsx_response
from qihub.core.lists import make_list
from qihub.core.workflow import Refused, WorkflowError
from qihub.evaluations import forms, visits, workflow
from qihub.evaluations.models import INDICATORS, ReturnVisit
from qihub.evaluations.tables import ReturnVisitTable, VisitArchiveTable, VisitDueTable
from qihub.orders.views import get_order_for


def evaluate(request: HttpRequest, number: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    order = get_order_for(request.user, number)
    staff = is_handler(request.user)
    if not staff and request.user.pk != order.client_id:
        raise Refused("只有下单人可以评价该订单")
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
        except Refused:
            raise
        except WorkflowError as exc:
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
    """The order's return visits: schedule one, record the result of a scheduled one."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    order = get_order_for(request.user, number)
    flow = workflow.RETURN_VISIT_FLOW
    flow.check_actor(request.user, None, "schedule")
    if request.method == "POST" and "visit" in request.POST:
        result = forms.VisitResultForm(request.POST)
        visit = None
        if result.is_valid():
            visit = get_object_or_404(ReturnVisit, pk=result.cleaned_data["visit"], order=order)
        run_action(
            request,
            result,
            lambda d: workflow.record_return_visit(
                visit,
                by=request.user,
                method=d["method"],
                result=d["result"],
                satisfied=d["satisfied"],
                problems=d["problems"],
            ),
            "回访结果已登记",
        )
        return redirect("evaluations:return_visits", number=number)
    if request.method == "POST":
        run_action(
            request,
            forms.ScheduleForm(request.POST),
            lambda d: workflow.schedule_return_visit(order, by=request.user, on=d["on"]),
            "回访已安排",
        )
        return redirect("evaluations:return_visits", number=number)
    visits = order.return_visits.select_related("scheduled_by", "done_by")
    return render(
        request,
        "evaluations/return_visits.html",
        {
            "order": order,
            "table": make_list(
                request,
                ReturnVisitTable,
                [{"visit": v, "can_record": flow.can(request.user, v, "record")} for v in visits],
            ),
            "schedule_form": forms.ScheduleForm(),
            "result_form": forms.VisitResultForm(),
            "can_schedule": flow.can(request.user, None, "schedule"),
        },
    )


@role_required(*HANDLERS)
def visits_due(request: HttpRequest) -> HttpResponse:
    """待回访 for every kind of service (EVAL-2): record a result, or schedule one by hand."""
    if request.method == "POST" and "visit" in request.POST:
        result = forms.VisitResultForm(request.POST)
        visit = None
        if result.is_valid():
            visit = get_object_or_404(visits.due(request.user), pk=result.cleaned_data["visit"])
        run_action(
            request,
            result,
            lambda d: workflow.record_return_visit(
                visit,
                by=request.user,
                method=d["method"],
                result=d["result"],
                satisfied=d["satisfied"],
                problems=d["problems"],
            ),
            "回访结果已登记，已归入回访记录",
        )
        return redirect("evaluations:visits")
    schedule_form = forms.ScheduleServiceForm(request.POST or None)
    if request.method == "POST":
        done = run_action(
            request,
            schedule_form,
            lambda d: workflow.schedule_return_visit(d["service"], by=request.user, on=d["on"]),
            "回访已安排",
        )
        if done:
            return redirect("evaluations:visits")
    table = make_list(
        request,
        VisitDueTable,
        visits.due(request.user),
        filterset_class=visits.VisitFilter,
        rows=lambda found: visits.due_rows(found, timezone.now()),
    )
    return render(
        request,
        "evaluations/visits_due.html",
        {
            "table": table,
            "may_open_consultations": may_open_consultations(request.user),
            "result_form": forms.VisitResultForm(),
            "schedule_form": schedule_form,
            "after_days": getattr(settings, "RETURN_VISIT_AFTER_DAYS", 7),
        },
        status=400 if schedule_form.errors else 200,
    )


@role_required(*HANDLERS)
def visit_archive(request: HttpRequest) -> HttpResponse:
    """回访记录: the archived feedback of every visit made, filtered, and as Excel (EVAL-2)."""
    found = visits.done(request.user)
    if request.GET.get("export") == "xlsx":
        filtered = visits.ArchiveFilter(request.GET, queryset=found)
        rows = filtered.qs if filtered.is_valid() else found.none()
        return xlsx_response(
            f"回访记录{timezone.localdate():%Y%m%d}.xlsx",
            "回访记录",
            visits.EXPORT_HEADERS,
            visits.export_rows(rows),
        )
    table = make_list(request, VisitArchiveTable, found, filterset_class=visits.ArchiveFilter)
    query = request.GET.copy()
    query.pop("page", None)
    query["export"] = "xlsx"
    return render(
        request,
        "evaluations/visit_archive.html",
        {
            "table": table,
            "export_query": query.urlencode(),
            "may_open_consultations": may_open_consultations(request.user),
        },
    )


def may_open_consultations(user: object) -> bool:
    """Station staff make return visits on consultations but may not open them (the asker's
    question is between the asker and the expert): the number shows without a link."""
    return getattr(user, "role", None) in BACK_OFFICE
