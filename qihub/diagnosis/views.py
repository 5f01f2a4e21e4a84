"""Pages of quality diagnosis (ENT-7) and of the showcase (ENT-6)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from qihub.accounts.models import MemberKind, Organisation, Role
from qihub.accounts.permissions import role_required
from qihub.accounts.roles import BACK_OFFICE, DECIDERS, DIAGNOSERS
from qihub.core.actions import run_action
from qihub.core.lists import make_list
from qihub.diagnosis import risks, workflow
from qihub.diagnosis.actions import (
    PROBLEM_ACTIONS,
    SHOWCASE_ACTIONS,
    entry_visible,
    problem_visible,
    visits_visible_to,
)
from qihub.diagnosis.forms import (
    AnswerForm,
    NotSolvedForm,
    ProblemForm,
    ShowcaseForm,
    SolvedForm,
    VisitForm,
)
from qihub.diagnosis.models import ShowcaseEntry, ShowcaseStatus, enterprise_of
from qihub.diagnosis.tables import (
    ManagedShowcaseFilter,
    ManagedShowcaseTable,
    RiskTable,
    ShowcaseFilter,
    ShowcaseTable,
    VisitFilter,
    VisitTable,
)

VIEWERS = tuple(BACK_OFFICE | DIAGNOSERS | {Role.ENTERPRISE})


# --- diagnosis ------------------------------------------------------------------------------
@role_required(*VIEWERS)
def visits(request: HttpRequest) -> HttpResponse:
    """Diagnosers: every visit they may see; an enterprise: the diagnoses of its own company."""
    can_record = request.user.role in DIAGNOSERS
    table = make_list(
        request,
        VisitTable,
        visits_visible_to(request.user).prefetch_related("problems"),
        filterset_class=VisitFilter,
        empty_action=("登记诊断", reverse("diagnosis:new")) if can_record else None,
    )
    return render(
        request,
        "diagnosis/visits.html",
        {"table": table, "can_record": can_record, "is_enterprise": enterprise_of(request.user)},
    )


@role_required(*DIAGNOSERS)
def new_visit(request: HttpRequest) -> HttpResponse:
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        visit = workflow.record_visit(by=request.user, problems=[], **form.cleaned_data)
        messages.success(request, f"诊断记录 {visit.number} 已登记，请逐项登记发现的问题")
        return redirect("diagnosis:visit", number=visit.number)
    return render(request, "diagnosis/new.html", {"form": form}, status=400 if form.errors else 200)


@role_required(*VIEWERS)
def visit(request: HttpRequest, number: str) -> HttpResponse:
    found = visits_visible_to(request.user).filter(number=number).first()
    if found is None:
        raise Http404("没有该诊断记录，或您无权查看")
    can_add = request.user.role in DIAGNOSERS
    form = ProblemForm(request.POST or None)
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied("只有专家、服务站工作人员和平台运营人员可以登记诊断问题")
        if run_action(
            request,
            form,
            lambda c: workflow.record_problem(found, by=request.user, **c),
            "问题已登记，整改期限开始计时",
        ):
            return redirect("diagnosis:visit", number=number)
    return render(
        request,
        "diagnosis/visit.html",
        {
            "visit": found,
            "problems": found.problems.all(),
            "form": form,
            "can_add": can_add,
        },
        status=400 if form.errors else 200,
    )


@login_required
def problem(request: HttpRequest, pk: int) -> HttpResponse:
    found = problem_visible(request.user, str(pk))
    if found is None:
        raise Http404("没有该诊断问题，或您无权查看")
    return render(
        request,
        "diagnosis/problem.html",
        {
            "problem": found,
            "can": PROBLEM_ACTIONS.buttons(request.user, found),
            "answer_form": AnswerForm(initial={"version": found.version}),
            "solved_form": SolvedForm(initial={"version": found.version}),
            "not_solved_form": NotSolvedForm(initial={"version": found.version}),
            "events": found.events.select_related("by__organisation"),
        },
    )


def _results(request: HttpRequest, enterprise: Organisation) -> HttpResponse:
    return render(
        request,
        "diagnosis/results.html",
        {
            "enterprise": enterprise,
            "rows": risks.summary(enterprise),
            "risks": risks.risks_visible_to(request.user).filter(enterprise=enterprise),
        },
    )


@role_required(Role.ENTERPRISE)
def my_results(request: HttpRequest) -> HttpResponse:
    """The enterprise's own test results by product, parameter and quarter."""
    enterprise = enterprise_of(request.user)
    if enterprise is None:
        raise PermissionDenied("请先完成企业认证")
    return _results(request, enterprise)


@role_required(*(BACK_OFFICE | DIAGNOSERS))
def results_of(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff read an enterprise's summary; station staff only within their station's area."""
    enterprise = Organisation.objects.filter(pk=pk, kind=MemberKind.ENTERPRISE).first()
    if enterprise is None:
        raise Http404("没有该企业")
    if request.user.role == Role.STATION_STAFF:
        area = risks.station_staff_for(enterprise)
        if request.user not in area:
            raise PermissionDenied("该企业不在本站点服务区域内")
    return _results(request, enterprise)


@role_required(*(BACK_OFFICE | DIAGNOSERS | {Role.ENTERPRISE}))
def risk_list(request: HttpRequest) -> HttpResponse:
    table = make_list(request, RiskTable, risks.risks_visible_to(request.user))
    return render(request, "diagnosis/risks.html", {"table": table})


# --- showcase -------------------------------------------------------------------------------
def showcase(request: HttpRequest) -> HttpResponse:
    """The public list: published entries only, newest year first."""
    table = make_list(
        request,
        ShowcaseTable,
        ShowcaseEntry.objects.published().select_related("enterprise"),
        filterset_class=ShowcaseFilter,
    )
    return render(request, "diagnosis/showcase.html", {"table": table})


def showcase_entry(request: HttpRequest, pk: int) -> HttpResponse:
    found = entry_visible(request.user, str(pk))
    if found is None:
        raise Http404("没有该企业风采，或尚未公开")
    return render(
        request,
        "diagnosis/showcase_entry.html",
        {
            "entry": found,
            "can": SHOWCASE_ACTIONS.buttons(request.user, found),
            "events": found.events.select_related("by__organisation")
            if request.user.is_authenticated
            and (request.user.role in BACK_OFFICE or found.enterprise.account_id == request.user.pk)
            else [],
        },
    )


def showcase_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """The entry's photo to whoever may see the entry: everyone once it is published."""
    from django.http import FileResponse

    from qihub.accounts.uploads import open_stored

    found = entry_visible(request.user, str(pk))
    if found is None or found.photo is None:
        raise Http404("没有该照片")
    photo = found.photo
    response = FileResponse(open_stored(photo.stored_name), content_type=photo.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*DECIDERS)
def manage_showcase(request: HttpRequest) -> HttpResponse:
    """Operators propose entries (published only once the enterprise agrees) and see them all."""
    form = ShowcaseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and run_action(
        request,
        form,
        lambda c: workflow.propose(by=request.user, **c),
        "已提议展示，待企业同意后公开",
    ):
        return redirect("diagnosis:manage_showcase")
    table = make_list(
        request,
        ManagedShowcaseTable,
        ShowcaseEntry.objects.select_related("enterprise"),
        filterset_class=ManagedShowcaseFilter,
    )
    return render(
        request,
        "diagnosis/showcase_manage.html",
        {"form": form, "table": table},
        status=400 if form.errors else 200,
    )


@role_required(Role.ENTERPRISE)
def my_showcase(request: HttpRequest) -> HttpResponse:
    """The enterprise's consent requests and what it shows."""
    entries = ShowcaseEntry.objects.filter(enterprise__account=request.user).select_related(
        "enterprise"
    )
    return render(
        request,
        "diagnosis/showcase_mine.html",
        {"entries": entries, "awaiting": ShowcaseStatus.AWAITING},
    )
