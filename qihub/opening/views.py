"""Pages of the open resources (INS-2): the public hub `/open/` and its lists, a lab's and a
result's page, and the owners' management of their labs and published information."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse

from qihub.accounts.models import MemberKind, Organisation, User
from qihub.accounts.permissions import role_required
from qihub.accounts.roles import DECIDERS, INSTITUTIONS, OPEN_PUBLISHERS
from qihub.bookings import workflow
from qihub.core import audit
from qihub.core.lists import make_list
from qihub.opening import services
from qihub.opening.forms import LaboratoryForm, ResultForm
from qihub.opening.models import Laboratory, OpenResult, ResultKind
from qihub.opening.tables import (
    LabFilter,
    LabTable,
    MyLabTable,
    MyResultTable,
    ResultFilter,
    ResultTable,
)

# Shared instruments (INS-1) have their own list; it is linked only once that page exists, so
# the hub renders before and after it ships.
INSTRUMENTS_URL = "/instruments/"


def instruments_url() -> str:
    try:
        resolve(INSTRUMENTS_URL)
    except Resolver404:
        return ""
    return INSTRUMENTS_URL


def public_labs() -> QuerySet[Laboratory]:
    return Laboratory.objects.filter(
        listed=True, organisation__deregistered_at=None
    ).select_related("organisation")


def public_results() -> QuerySet[OpenResult]:
    return OpenResult.objects.filter(published=True).select_related("organisation")


def hub(request: HttpRequest) -> HttpResponse:
    """资源开放: what is open to the public, a few of each kind, each with its full list."""
    results = public_results()
    return render(
        request,
        "opening/hub.html",
        {
            "labs": public_labs()[:6],
            "lab_count": public_labs().count(),
            "sections": [
                (kind, label, results.filter(kind=kind)[:5], results.filter(kind=kind).count())
                for kind, label in ResultKind.choices
            ],
            "instruments_url": instruments_url(),
        },
    )


def labs(request: HttpRequest) -> HttpResponse:
    table = make_list(request, LabTable, public_labs(), filterset_class=LabFilter)
    return render(request, "opening/labs.html", {"table": table})


def results(request: HttpRequest) -> HttpResponse:
    table = make_list(request, ResultTable, public_results(), filterset_class=ResultFilter)
    kind = request.GET.get("kind", "")
    title = dict(ResultKind.choices).get(kind, "科研成果与标准信息")
    return render(request, "opening/results.html", {"table": table, "title": title})


def lab(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Laboratory.objects.select_related("organisation", "resource"), pk=pk)
    owner = request.user.is_authenticated and workflow.runs(request.user, found.resource)
    if not (found.listed and found.organisation.deregistered_at is None) and not owner:
        raise Http404
    return render(
        request,
        "opening/lab.html",
        {"lab": found, "owner": owner, "hours": found.resource.hours.all()},
    )


def result(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(OpenResult.objects.select_related("organisation"), pk=pk)
    if not found.published and not _may_edit(request.user, found):
        raise Http404
    return render(request, "opening/result.html", {"result": found})


# --- owners -----------------------------------------------------------------------------------


def _own_institution(user: User) -> Organisation:
    return get_object_or_404(
        Organisation, account=user, kind=MemberKind.INSTITUTION, deregistered_at=None
    )


def _may_edit(user: User, found: OpenResult) -> bool:
    """Operators edit and unpublish anybody's entry; an institution its own."""
    if not user.is_authenticated:
        return False
    if user.role in DECIDERS:
        return True
    return user.role in INSTITUTIONS and found.organisation.account_id == user.pk


@role_required(*INSTITUTIONS)
def my_labs(request: HttpRequest) -> HttpResponse:
    organisation = _own_institution(request.user)
    rows = organisation.laboratories.select_related("resource").order_by("-listed", "name")
    table = make_list(
        request,
        MyLabTable,
        rows,
        empty_action=("登记开放实验室", reverse("opening:lab_new")),
    )
    return render(request, "opening/my_labs.html", {"table": table})


@role_required(*INSTITUTIONS)
def lab_new(request: HttpRequest) -> HttpResponse:
    organisation = _own_institution(request.user)
    form = LaboratoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = services.create_lab(organisation, form.save(commit=False))
        audit.record(request.user, "laboratory.created", made)
        messages.success(request, f"已登记开放实验室：{made.name}，请设置开放时间与预约规则")
        return redirect("bookings:policy", pk=made.resource_id)
    return render(
        request,
        "opening/lab_form.html",
        {"form": form, "title": "登记开放实验室"},
        status=400 if form.errors else 200,
    )


@role_required(*INSTITUTIONS)
def lab_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _own_institution(request.user)
    found = get_object_or_404(Laboratory, pk=pk, organisation=organisation)
    form = LaboratoryForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        services.save_lab(form.save(commit=False))
        audit.record(request.user, "laboratory.changed", found)
        messages.success(request, f"已保存：{found.name}")
        return redirect("opening:my_labs")
    return render(
        request,
        "opening/lab_form.html",
        {"form": form, "title": f"修改实验室：{found.name}", "lab": found},
        status=400 if form.errors else 200,
    )


@role_required(*OPEN_PUBLISHERS)
def my_results(request: HttpRequest) -> HttpResponse:
    rows = OpenResult.objects.select_related("organisation")
    if request.user.role in INSTITUTIONS:
        rows = rows.filter(organisation=_own_institution(request.user))
    table = make_list(
        request,
        MyResultTable,
        rows,
        filterset_class=ResultFilter,
        empty_action=("发布成果或标准信息", reverse("opening:result_new")),
    )
    return render(request, "opening/my_results.html", {"table": table})


def _save_result(request: HttpRequest, form: ResultForm) -> OpenResult:
    entry = form.save(commit=False)
    if request.user.role in INSTITUTIONS:
        entry.organisation = _own_institution(request.user)
    else:
        entry.organisation = form.cleaned_data["owner"]
    if entry.pk is None:
        entry.created_by = request.user
    entry.save()
    return entry


@role_required(*OPEN_PUBLISHERS)
def result_new(request: HttpRequest) -> HttpResponse:
    if request.user.role in INSTITUTIONS:
        _own_institution(request.user)
    staff = request.user.role in DECIDERS
    form = ResultForm(request.POST or None, staff=staff)
    if request.method == "POST" and form.is_valid():
        entry = _save_result(request, form)
        audit.record(request.user, "open_result.created", entry)
        messages.success(request, f"已保存：{entry.title}")
        return redirect("opening:my_results")
    return render(
        request,
        "opening/result_form.html",
        {"form": form, "title": "发布成果或标准信息"},
        status=400 if form.errors else 200,
    )


@role_required(*OPEN_PUBLISHERS)
def result_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(OpenResult.objects.select_related("organisation"), pk=pk)
    if not _may_edit(request.user, found):
        raise PermissionDenied("只能修改本机构发布的信息")
    form = ResultForm(request.POST or None, instance=found, staff=request.user.role in DECIDERS)
    if request.method == "POST" and form.is_valid():
        entry = _save_result(request, form)
        audit.record(request.user, "open_result.changed", entry)
        messages.success(request, f"已保存：{entry.title}")
        return redirect("opening:my_results")
    return render(
        request,
        "opening/result_form.html",
        {"form": form, "title": f"修改：{found.title}", "result": found},
        status=400 if form.errors else 200,
    )


@role_required(*OPEN_PUBLISHERS)
def result_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Unpublish (or publish again): operators for any entry, an institution for its own."""
    if request.method != "POST":
        return redirect("opening:my_results")
    found = get_object_or_404(OpenResult.objects.select_related("organisation"), pk=pk)
    if not _may_edit(request.user, found):
        raise PermissionDenied("只能撤下本机构发布的信息")
    found.published = not found.published
    found.save(update_fields=["published", "updated_at"])
    action = "published" if found.published else "unpublished"
    audit.record(request.user, f"open_result.{action}", found)
    messages.success(request, f"已{'重新公开' if found.published else '撤下'}：{found.title}")
    return redirect("opening:my_results")
