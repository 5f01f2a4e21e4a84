"""Pages of custom packages (DEM-12): the enterprise's requests and the request form, the staff's
list, and the package page with the plan, its figures, the progress of each order and the
evaluation of the whole package."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from qihub.accounts.permissions import role_required
from qihub.accounts.roles import CLIENTS, HANDLERS
from qihub.core.lists import make_list
from qihub.core.workflow import WorkflowError
from qihub.packages import forms, workflow
from qihub.packages.actions import ACTIONS, visible
from qihub.packages.models import PRINCIPLE, Package, Recognition
from qihub.packages.plan import figures
from qihub.packages.tables import PackageTable


def _list(request: HttpRequest, rows: object, title: str, **kwargs: object) -> HttpResponse:
    table = make_list(
        request,
        PackageTable,
        rows.select_related(  # type: ignore[attr-defined]
            "client__organisation", "coordinator__organisation"
        ),
        **kwargs,
    )
    return render(request, "packages/list.html", {"table": table, "title": title})


@role_required(*CLIENTS)
def mine(request: HttpRequest) -> HttpResponse:
    return _list(
        request,
        Package.objects.filter(client=request.user),
        "我的定制服务",
        empty_action=("申请定制服务", reverse("packages:new")),
    )


@role_required(*HANDLERS)
def queue(request: HttpRequest) -> HttpResponse:
    return _list(request, Package.objects.visible_to(request.user), "定制服务方案")


@role_required(*CLIENTS)
def new(request: HttpRequest) -> HttpResponse:
    form = forms.PackageRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            package = workflow.request(
                client=request.user,
                product=data["product"],
                recognitions=data["recognitions"],
                stages=data["stages"],
                description=data["description"],
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"申请 {package.number} 已提交，平台将安排协调人编制方案")
            return redirect("packages:detail", number=package.number)
    return render(
        request,
        "packages/new.html",
        {
            "form": form,
            "principle": PRINCIPLE,
            "recognitions": Recognition.objects.filter(active=True),
        },
        status=400 if form.errors else 200,
    )


@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    package = visible(request.user, number)
    if package is None:
        raise Http404("没有该申请")
    can = ACTIONS.buttons(request.user, package)
    lines = package.lines.select_related("service__organisation", "order__report").prefetch_related(
        "recognitions"
    )
    return render(
        request,
        "packages/detail.html",
        {
            "package": package,
            "principle": PRINCIPLE,
            "lines": lines,
            "figures": figures(package),
            "events": package.events.select_related("by__organisation"),
            "can": can,
            "line_form": forms.LineForm(record=package) if can.get("add_line") else None,
            "evaluation_form": forms.EvaluationForm() if can.get("evaluate") else None,
            "evaluation": getattr(package, "evaluation", None),
        },
    )
