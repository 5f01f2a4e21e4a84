"""Pages of guided flows (BIO-2): start a run, follow and tick it off, and maintain templates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from qihub.accounts.models import Role
from qihub.accounts.permissions import role_required
from qihub.accounts.roles import ALL_STAFF, DECIDERS, HANDLERS, is_back_office
from qihub.catalog.models import ServiceItem
from qihub.core.actions import run_action
from qihub.core.lists import make_list
from qihub.core.workflow import WorkflowError
from qihub.deadlines.queries import open_clock
from qihub.diagnosis.models import enterprise_of
from qihub.flows import workflow
from qihub.flows.actions import RUN_ACTIONS, run_visible, runs_visible_to
from qihub.flows.forms import StartForm, StepFormSet, TemplateForm, TickForm, step_rows
from qihub.flows.models import Actor, FlowTemplate, RunStatus, StepState
from qihub.flows.tables import RunFilter, RunTable


@login_required
def runs(request: HttpRequest) -> HttpResponse:
    if request.user.role not in ALL_STAFF | {Role.ENTERPRISE}:
        raise PermissionDenied
    rows = runs_visible_to(request.user)
    table = make_list(request, RunTable, rows, filterset_class=RunFilter)
    mine = request.user.role == Role.ENTERPRISE
    return render(
        request,
        "flows/runs.html",
        {
            "table": table,
            "title": "我的办理流程" if mine else "流程办理",
            "templates": FlowTemplate.currents(),
            "may_start": request.user.role in HANDLERS or mine,
        },
    )


@login_required
def start(request: HttpRequest, code: str) -> HttpResponse:
    template = FlowTemplate.current(code)
    if template is None:
        raise Http404
    staff = request.user.role in HANDLERS
    if not staff and request.user.role != Role.ENTERPRISE:
        raise PermissionDenied
    item = ServiceItem.objects.filter(code=request.GET.get("item", "")).first()
    initial = {"subject": item.name} if item else {}
    form = StartForm(request.POST or None, staff=staff, initial=initial)
    if request.method == "POST":
        enterprise = None if staff else enterprise_of(request.user)
        if not staff and enterprise is None:
            messages.error(request, "企业：您的账户还没有关联企业，请先完成实名认证")
        else:
            created: dict = {}

            def go(data: dict) -> None:
                created["run"] = workflow.start(
                    template,
                    by=request.user,
                    enterprise=data.get("enterprise") or enterprise,
                    subject=data["subject"],
                    item=item,
                )

            if run_action(request, form, go, "已发起办理流程，请按步骤办理"):
                return redirect("flows:run", number=created["run"].number)
    return render(
        request,
        "flows/start.html",
        {"template": template, "form": form, "item": item},
        status=400 if form.errors else 200,
    )


@login_required
def run(request: HttpRequest, number: str) -> HttpResponse:
    found = run_visible(request.user, number)
    if found is None:
        raise Http404
    steps = []
    for rs in found.run_steps.select_related("step", "done_by", "document").order_by("position"):
        clock = open_clock(rs, workflow.STEP_CLOCK) if rs.state == StepState.CURRENT else None
        # The team may tick an enterprise's step for it; the enterprise only its own steps.
        mine = rs.step.actor == Actor.ENTERPRISE or request.user.role in HANDLERS
        steps.append({"row": rs, "step": rs.step, "clock": clock, "may_tick": mine})
    can = RUN_ACTIONS.buttons(request.user, found)
    current = next((s["row"] for s in steps if s["row"].state == StepState.CURRENT), None)
    position = current.position if current else 0
    return render(
        request,
        "flows/run.html",
        {
            "run": found,
            "steps": steps,
            "can": can,
            "tick_form": TickForm(initial={"version": found.version, "position": position}),
            "events": found.events.select_related("by__organisation").order_by("at", "id"),
            "running": found.status == RunStatus.RUNNING,
            # Materials open for their owner and the back office only (onboarding:document).
            "may_open": request.user.pk == found.enterprise.account_id
            or is_back_office(request.user),
        },
    )


@role_required(*DECIDERS)
def manage(request: HttpRequest) -> HttpResponse:
    return render(request, "flows/manage.html", {"templates": FlowTemplate.currents()})


@role_required(*DECIDERS)
def edit(request: HttpRequest, code: str) -> HttpResponse:
    current = FlowTemplate.current(code)
    if current is None:
        raise Http404
    initial_steps = [
        {
            "title": s.title,
            "actor": s.actor,
            "documents": s.documents,
            "limit_days": s.limit_days,
            "source_note": s.source_note,
            "link": s.link,
            "link_label": s.link_label,
        }
        for s in current.steps.all()
    ]
    form = TemplateForm(
        request.POST or None,
        initial={"title": current.title, "source": current.source, "summary": current.summary},
    )
    formset = StepFormSet(request.POST or None, initial=initial_steps, prefix="steps")
    errors: list[str] = []
    if request.method == "POST":
        rows, errors = step_rows(formset)
        if form.is_valid() and not errors:
            try:
                template = workflow.publish(code, by=request.user, steps=rows, **form.cleaned_data)
            except WorkflowError as exc:
                errors.append(str(exc))
            else:
                messages.success(
                    request,
                    f"已发布“{template.title}”第 {template.version} 版；"
                    "已在办理的流程仍按其发起时的版本办理",
                )
                return redirect(reverse("flows:edit", args=[code]))
    versions = FlowTemplate.objects.filter(code=code).order_by("-version")
    return render(
        request,
        "flows/edit.html",
        {
            "template": current,
            "form": form,
            "formset": formset,
            "errors": errors,
            "versions": versions,
        },
        status=400 if (errors or form.errors) else 200,
    )
