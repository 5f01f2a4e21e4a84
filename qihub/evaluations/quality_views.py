"""Improvement pages: rectifications (EVAL-9), the window checklist (EVAL-8), satisfaction
campaigns (EVAL-3, EVAL-5), staff appraisal (CMP-4, EVAL-7) and dissatisfied-evaluation analysis."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from qihub.accounts.models import Station, User
from qihub.accounts.permissions import role_required
from qihub.accounts.roles import (
    ALL_STAFF,
    BACK_OFFICE,
    DECIDERS,
    FIELD_STAFF,
    INSTITUTIONS,
    STATION_STAFF,
    is_station_staff,
    is_supervisor,
)
from qihub.complaints.models import Complaint
from qihub.core.actions import run_action
from qihub.core.exports import xlsx_response
from qihub.core.lists import make_list
from qihub.core.workflow import Refused, WorkflowError
from qihub.deadlines.queries import clocks_of
from qihub.evaluations import appraisal, checks, forms, satisfaction, statistics, workflow
from qihub.evaluations.actions import ACTIONS, rectifications_visible_to
from qihub.evaluations.models import Campaign, Evaluation
from qihub.evaluations.tables import (
    CampaignTable,
    RectificationFilter,
    RectificationTable,
    StaffTable,
    StationTable,
)


@role_required(*ALL_STAFF, *INSTITUTIONS)
def rectification_list(request: HttpRequest) -> HttpResponse:
    table = make_list(
        request,
        RectificationTable,
        rectifications_visible_to(request.user),
        filterset_class=RectificationFilter,
    )
    return render(request, "evaluations/rectifications.html", {"table": table})


def rectification_detail(request: HttpRequest, number: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    r = rectifications_visible_to(request.user).filter(number=number).first()
    if r is None:
        raise Http404
    return render(
        request,
        "evaluations/rectification.html",
        {
            "r": r,
            "clocks": clocks_of(r, timezone.now()),
            "events": r.events.select_related("by__organisation"),
            "can": ACTIONS.buttons(request.user, r),
        },
    )


@role_required(*BACK_OFFICE)
def rectification_open(request: HttpRequest) -> HttpResponse:
    """Opened from a substantiated complaint or a dissatisfied evaluation (checklist items open
    their own when the check is recorded)."""
    form = forms.OpenRectificationForm(request.POST or None)
    if request.method != "POST":
        return redirect("evaluations:rectifications")
    back = request.META.get("HTTP_REFERER") or "/ops/rectifications/"
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    data = form.cleaned_data
    complaint = evaluation = None
    if data["complaint"]:
        complaint = Complaint.objects.filter(number=data["complaint"].strip()).first()
        if complaint is None:
            messages.error(request, "投诉编号：找不到该投诉")
            return redirect(back)
    elif data["evaluation"]:
        evaluation = (
            Evaluation.objects.filter(pk=data["evaluation"]).select_related("order").first()
        )
        if evaluation is None:
            messages.error(request, "评价：找不到该评价")
            return redirect(back)
    try:
        r = workflow.open_rectification(
            by=request.user, problem=data["problem"], complaint=complaint, evaluation=evaluation
        )
    except Refused:
        raise
    except WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(request, f"已发起整改 {r.number}，15 个工作日内完成")
    return redirect("evaluations:rectification", number=r.number)


@role_required(*DECIDERS)
def analyse(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = get_object_or_404(Evaluation, pk=pk)
    if request.method == "POST":
        run_action(
            request,
            forms.AnalysisForm(request.POST),
            lambda d: workflow.analyse(evaluation, by=request.user, analysis=d["analysis"]),
            "原因分析已登记",
        )
    return redirect(request.META.get("HTTP_REFERER") or "evaluations:dashboard")


# --- the window checklist ---------------------------------------------------------------


@role_required(*BACK_OFFICE, *STATION_STAFF)
def stations(request: HttpRequest) -> HttpResponse:
    rows = Station.objects.filter(active=True)
    if is_station_staff(request.user):
        rows = rows.filter(pk=request.user.station_id)
    table = make_list(request, StationTable, rows.order_by("name"))
    return render(request, "evaluations/stations.html", {"table": table})


def _station_for(request: HttpRequest, pk: int) -> Station:
    station = get_object_or_404(Station, pk=pk, active=True)
    if is_station_staff(request.user) and request.user.station_id != station.pk:
        raise Http404
    return station


@role_required(*BACK_OFFICE, *STATION_STAFF)
def window_check(request: HttpRequest, pk: int) -> HttpResponse:
    station = _station_for(request, pk)
    kind = "ad_hoc" if is_supervisor(request.user) else "internal"
    form = forms.WindowCheckForm(
        request.POST or None, initial={"kind": kind, "checked_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            check = checks.record_check(
                station,
                by=request.user,
                kind=form.cleaned_data["kind"],
                checked_on=form.cleaned_data["checked_on"],
                results=form.results(),
                summary=form.cleaned_data["summary"],
            )
        except (checks.CheckError, WorkflowError) as exc:
            form.add_error(None, str(exc))
        else:
            failed = len(check.failed())
            messages.success(
                request,
                f"评价已登记；{failed} 项不符合，已发起整改" if failed else "评价已登记，全部符合",
            )
            return redirect("evaluations:stations")
    return render(
        request,
        "evaluations/window_check.html",
        {
            "station": station,
            "form": form,
            "history": station.checks.select_related("by")[:10],
            "items": checks.ITEMS,
        },
        status=400 if form.errors else 200,
    )


# --- satisfaction campaigns --------------------------------------------------------------


@role_required(*BACK_OFFICE)
def campaigns(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = forms.CampaignForm(
        request.POST or None, initial={"year": today.year, "quarter": (today.month - 1) // 3 + 1}
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = checks.create_campaign(by=request.user, **form.cleaned_data)
        except checks.CheckError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "评价活动已创建，请录入问卷")
            return redirect("evaluations:campaign", pk=campaign.pk)
    rows = Campaign.objects.select_related("institution", "station")
    return render(
        request,
        "evaluations/campaigns.html",
        {
            "table": make_list(request, CampaignTable, rows),
            "form": form,
            "model": satisfaction.MODEL,
        },
        status=400 if form.errors else 200,
    )


@role_required(*BACK_OFFICE)
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Campaign, pk=pk)
    form = forms.QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            checks.add_response(
                item,
                by=request.user,
                scores=form.cleaned_data,
                comment=form.cleaned_data["comment"],
            )
        except checks.CheckError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "问卷已录入")
            return redirect("evaluations:campaign", pk=pk)
    result = checks.campaign_result(item)
    return render(
        request,
        "evaluations/campaign.html",
        {
            "campaign": item,
            "form": form,
            "result": result,
            "indicators": [(i, result["means"].get(i.code)) for i in satisfaction.MODEL],
        },
        status=400 if form.errors else 200,
    )


# --- staff appraisal ---------------------------------------------------------------------


STAFF_COLUMNS = [
    "工作人员",
    "角色",
    "所属站点",
    "按时办结率(%)",
    "办理件数",
    "被退回/改派",
    "退回率(%)",
    "被投诉",
    "投诉属实",
    "评价数",
    "不满意",
    "平均总体评分",
    "待复训",
]


@role_required(*BACK_OFFICE)
def staff(request: HttpRequest) -> HttpResponse:
    try:
        period = statistics.parse_period(request.GET.get("year"), request.GET.get("quarter"))
    except statistics.PeriodError as exc:
        messages.error(request, str(exc))
        period = statistics.parse_period(None, None)
    rows = appraisal.figures(period.start, period.end)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            f"工作人员考核-{period.label}.xlsx",
            "工作人员考核",
            STAFF_COLUMNS,
            [
                [
                    f.staff.shown_name,
                    f.staff.get_role_display(),
                    f.staff.station or "",
                    f.on_time_rate(),
                    f.handled(),
                    f.returned,
                    f.returned_rate(),
                    f.complaints,
                    f.complaints_substantiated,
                    f.evaluations,
                    f.dissatisfied,
                    f.mean_overall,
                    "是" if f.staff.retraining_since else "",
                ]
                for f in rows
            ],
        )
    return render(
        request,
        "evaluations/staff.html",
        {
            "table": make_list(request, StaffTable, rows),
            "period": period,
            "training_form": forms.TrainingForm(initial={"held_on": timezone.localdate()}),
            "may_record": request.user.role in DECIDERS,
            "retraining_days": settings.QIHUB_RETRAINING_WINDOW_DAYS,
            "retraining_count": settings.QIHUB_RETRAINING_DISSATISFIED,
        },
    )


@role_required(*DECIDERS)
def training(request: HttpRequest, username: str) -> HttpResponse:
    person = get_object_or_404(User, username=username, role__in=FIELD_STAFF)
    if request.method == "POST":
        run_action(
            request,
            forms.TrainingForm(request.POST),
            lambda d: appraisal.record_training(
                person, by=request.user, held_on=d["held_on"], topic=d["topic"], passed=d["passed"]
            ),
            "培训记录已登记",
            (appraisal.AppraisalError,),
        )
    return redirect("evaluations:staff")
