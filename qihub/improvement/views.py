"""Improvement plan pages (EVAL-10): the back office's list and drafting button, the plan page
where the supervisor writes the analysis, lists actions and publishes, the owners' action pages,
the Excel export, and the public progress page."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from qihub.accounts.permissions import role_required
from qihub.accounts.roles import ALL_STAFF, BACK_OFFICE
from qihub.core.actions import run_action
from qihub.core.exports import xlsx_response
from qihub.core.lists import make_list
from qihub.deadlines.queries import clocks_of
from qihub.improvement import forms, workflow
from qihub.improvement.actions import (
    ACTION_ACTIONS,
    PLAN_ACTIONS,
    action_visible,
    actions_visible_to,
    parse_year,
    plan_visible,
)
from qihub.improvement.models import ImprovementPlan, PlanStatus
from qihub.improvement.tables import MyActionTable, PlanTable
from qihub.workcal.calendar import local_date


@role_required(*BACK_OFFICE)
def plans(request: HttpRequest) -> HttpResponse:
    """Every year's plan, and the button that drafts a year's summary on demand."""
    last_year = local_date(timezone.now()).year - 1
    form = forms.DraftForm(request.POST or None, initial={"year": last_year})
    if request.method == "POST":
        made: dict = {}

        def draft(data: dict) -> None:
            made["plan"] = workflow.draft(data["year"], by=request.user)

        if run_action(request, form, draft, "年度汇总已草拟，请据此编写改进措施"):
            return redirect("improvement:plan", year=made["plan"].year)
        return redirect("improvement:plans")
    table = make_list(request, PlanTable, ImprovementPlan.objects.all())
    return render(
        request,
        "improvement/plans.html",
        {
            "table": table,
            "form": form,
            "may_draft": workflow.PLAN_FLOW.permits(request.user, None, "draft"),
        },
    )


def plan(request: HttpRequest, year: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = plan_visible(request.user, year)
    if found is None:
        raise Http404("没有该年度的改进计划")
    actions = _with_lateness(found.actions.select_related("owner"))
    return render(
        request,
        "improvement/plan.html",
        {
            "plan": found,
            "s": found.summary,
            "actions": actions,
            "can": PLAN_ACTIONS.buttons(request.user, found),
            "analysis_form": forms.AnalysisForm(initial={"analysis": found.analysis}),
            "action_form": forms.ActionForm(auto_id="id_action_%s"),
            "events": found.events.select_related("by__organisation"),
        },
    )


def action(request: HttpRequest, number: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    found = action_visible(request.user, number)
    if found is None:
        raise Http404("没有该改进措施")
    return render(
        request,
        "improvement/action.html",
        {
            "a": found,
            "clocks": clocks_of(found, timezone.now()),
            "can": ACTION_ACTIONS.buttons(request.user, found),
            "published": found.plan.status == PlanStatus.PUBLISHED,
            "form": forms.ProgressForm(
                initial={"percent": found.percent, "progress": found.progress}
            ),
            "events": found.events.select_related("by__organisation"),
        },
    )


@role_required(*ALL_STAFF)
def my_actions(request: HttpRequest) -> HttpResponse:
    rows = actions_visible_to(request.user).filter(owner=request.user)
    table = make_list(request, MyActionTable, rows)
    return render(request, "improvement/mine.html", {"table": table})


@role_required(*BACK_OFFICE)
def export(request: HttpRequest, year: str) -> HttpResponse:
    """The plan as Excel: one row per action with its owner, due date and progress."""
    found = plan_visible(request.user, year)
    if found is None:
        raise Http404("没有该年度的改进计划")
    rows = [
        (
            a.number,
            a.problem,
            a.measure,
            a.owner.party_name,
            a.due_on,
            f"{a.percent}%",
            a.get_status_display(),
            a.progress,
        )
        for a in found.actions.select_related("owner")
    ]
    return xlsx_response(
        f"{found.year}年度改进计划.xlsx",
        f"{found.year}年度改进计划",
        ["措施编号", "针对问题", "改进措施", "责任人", "完成期限", "完成进度", "状态", "进展情况"],
        rows,
    )


def public_list(request: HttpRequest) -> HttpResponse:
    published = ImprovementPlan.objects.filter(status=PlanStatus.PUBLISHED)
    return render(request, "improvement/public_list.html", {"plans": published})


def public(request: HttpRequest, year: str) -> HttpResponse:
    """The published plan and each action's progress. No person is named: owners are staff."""
    number = parse_year(year)
    found = ImprovementPlan.objects.filter(year=number, status=PlanStatus.PUBLISHED).first()
    if found is None:
        raise Http404("该年度的改进计划尚未发布")
    return render(
        request,
        "improvement/public.html",
        {
            "plan": found,
            "actions": _with_lateness(found.actions.all()),
        },
    )


def _with_lateness(rows: object) -> list:
    today = local_date(timezone.now())
    actions = list(rows)  # type: ignore[call-overload]
    for a in actions:
        a.is_late = a.late(today)
    return actions
