"""The workstation's pages (BIO-7, BIO-8, CAT-5)."""

from urllib.parse import quote

from csp.decorators import csp_exempt
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from qihub.accounts.permissions import role_required
from qihub.accounts.roles import ALL_STAFF, DECIDERS, HANDLERS, is_decider, is_staff_member
from qihub.core.actions import run_action
from qihub.core.exports import XLSX, xlsx_response
from qihub.core.lists import make_list
from qihub.core.sheets import SheetRejected
from qihub.workstation import directory_import as directory_import_rows
from qihub.workstation import industry, workflow
from qihub.workstation.actions import ACTIONS, visible
from qihub.workstation.api import save_figure
from qihub.workstation.forms import (
    AllianceMemberForm,
    CheckForm,
    CoachForm,
    DecideForm,
    FigureForm,
    HospitalForm,
    ImportForm,
    ManualForm,
    MatchForm,
    ProjectForm,
    SubmitForm,
    TalentForm,
    TownForm,
)
from qihub.workstation.matching import match
from qihub.workstation.models import (
    AllianceMember,
    Hospital,
    IndustryFigure,
    KeyProject,
    ManualVersion,
    Talent,
)
from qihub.workstation.tables import (
    FigureTable,
    HospitalTable,
    MemberTable,
    ProjectTable,
    TalentTable,
)


# --- the service manual (CAT-5, SJ 8.1.2) --------------------------------------------------
def manual(request: HttpRequest, number: int | None = None) -> HttpResponse:
    versions = list(ManualVersion.objects.all())
    current = versions[0] if versions else None
    shown = current if number is None else next((v for v in versions if v.number == number), None)
    if number is not None and shown is None:
        raise Http404
    return render(
        request,
        "workstation/manual.html",
        {
            "manual": shown,
            "current": current,
            "versions": versions,
            "may_edit": is_decider(request.user),
        },
    )


@role_required(*DECIDERS)
def manual_edit(request: HttpRequest) -> HttpResponse:
    """A new edition: starts from the current one; earlier editions stay readable."""
    current = ManualVersion.objects.first()
    if request.method == "POST":
        form = ManualForm(request.POST)
        if form.is_valid():
            edition = form.save(commit=False)
            edition.number = (current.number + 1) if current else 1
            edition.created_by = request.user
            edition.save()
            messages.success(request, f"服务手册第 {edition.number} 版已发布")
            return redirect("workstation:manual")
    else:
        initial = {"updated_on": timezone.localdate()}
        if current is not None:
            initial.update(
                items=current.items, contacts=current.contacts, how_to_apply=current.how_to_apply
            )
        form = ManualForm(initial=initial)
    return render(request, "workstation/manual_form.html", {"form": form, "current": current})


# --- industry figures (BIO-8, SJ 8.1.1) ------------------------------------------------------
@role_required(*ALL_STAFF)
def figures(request: HttpRequest) -> HttpResponse:
    rows = IndustryFigure.objects.select_related("town")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "各乡镇产业数据.xlsx",
            "产业数据",
            [*industry.HEADERS[:5], "规下企业数", *industry.HEADERS[5:]],
            [
                [f.town.name, f.year, f.quarter, f.enterprises, f.above_scale, f.below_scale]
                + [f.output, f.tax]
                for f in rows
            ],
        )
    form, upload, town, errors = FigureForm(), ImportForm(), TownForm(), []
    if request.method == "POST" and request.POST.get("form") == "import":
        upload = ImportForm(request.POST, request.FILES)
        if upload.is_valid():
            try:
                found, errors = industry.read(upload.cleaned_data["file"].read())
            except SheetRejected as exc:
                errors = [str(exc)]
            if not errors:
                count = industry.save(found, by=request.user)
                messages.success(request, f"已导入 {count} 行产业数据")
                return redirect("workstation:figures")
            messages.error(request, "导入未完成：请按下列说明修改后重新导入（本次未保存任何数据）")
    elif request.method == "POST" and request.POST.get("form") == "town":
        town = TownForm(request.POST)
        if town.is_valid():
            town.save()
            messages.success(request, f"已添加{town.instance.name}")
            return redirect("workstation:figures")
    elif request.method == "POST":
        form = FigureForm(request.POST)
        if form.is_valid():
            saved = save_figure(form, request.user)
            messages.success(request, f"已保存{saved.town.name}{saved.period_label}的产业数据")
            return redirect("workstation:figures")
    years = sorted({f.year for f in rows}, reverse=True)
    year = _year(request, years)
    table = make_list(request, FigureTable, rows)
    return render(
        request,
        "workstation/figures.html",
        {
            "table": table,
            "form": form,
            "upload": upload,
            "town": town,
            "errors": errors,
            "years": years,
            "year": year,
        },
    )


def _year(request: HttpRequest, years: list[int]) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        return years[0] if years else timezone.localdate().year


@role_required(*ALL_STAFF)
def figure_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(industry.template(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote("产业数据模板.xlsx")
    return response


@csp_exempt()
@role_required(*ALL_STAFF)
def figure_chart(request: HttpRequest) -> HttpResponse:
    year = _year(request, sorted({f.year for f in IndustryFigure.objects.all()}, reverse=True))
    response = HttpResponse(industry.chart_svg(year), content_type="image/svg+xml")
    # Shown through <img>, where scripts never run; the chart's own inline style is all it needs.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


# --- directories and matching (BIO-8, SJ 7.2.6.2, 7.2.8.4, 7.2.8.5) --------------------------
DIRECTORIES = {
    "hospitals": ("临床试验医院", HospitalForm),
    "members": ("联盟成员", AllianceMemberForm),
    "talents": ("人才", TalentForm),
}


def directories(request: HttpRequest) -> HttpResponse:
    staff = is_staff_member(request.user)
    edit = () if is_decider(request.user) else ("edit",)
    hospitals = make_list(request, HospitalTable, Hospital.objects.all(), prefix="h-", exclude=edit)
    members = make_list(
        request, MemberTable, AllianceMember.objects.all(), prefix="m-", exclude=edit
    )
    talents = make_list(
        request,
        TalentTable,
        Talent.objects.all(),
        prefix="t-",
        # A person's contact is for staff only.
        exclude=(*edit, *(() if staff else ("contact",))),
    )
    return render(
        request,
        "workstation/directories.html",
        {
            "hospitals": hospitals,
            "members": members,
            "talents": talents,
            "may_edit": is_decider(request.user),
        },
    )


@role_required(*DECIDERS)
def directory_new(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    """Add an entry to a directory, or correct one (`pk`)."""
    if kind not in DIRECTORIES:
        raise Http404
    title, form_class = DIRECTORIES[kind]
    entry = None
    if pk is not None:
        entry = form_class._meta.model.objects.filter(pk=pk).first()
        if entry is None:
            raise Http404
    form = form_class(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"{title}名录已更新" if entry else f"已加入{title}名录")
        return redirect("workstation:directories")
    return render(
        request,
        "workstation/directory_form.html",
        {"form": form, "title": title, "entry": entry},
    )


@role_required(*DECIDERS)
def directory_import(request: HttpRequest, kind: str) -> HttpResponse:
    """A directory from Excel: the template (GET ?template=1) and the upload, all or nothing."""
    if kind not in DIRECTORIES:
        raise Http404
    title, form_class = DIRECTORIES[kind]
    if request.GET.get("template"):
        response = HttpResponse(
            directory_import_rows.template(form_class, title), content_type=XLSX
        )
        response["Content-Disposition"] = "attachment; filename*=UTF-8''" + quote(
            f"{title}名录模板.xlsx"
        )
        return response
    upload, errors = ImportForm(request.POST or None, request.FILES or None), []
    if request.method == "POST" and upload.is_valid():
        try:
            valid, errors = directory_import_rows.read(
                form_class, upload.cleaned_data["file"].read()
            )
        except SheetRejected as exc:
            errors = [str(exc)]
        if not errors:
            count = directory_import_rows.save(valid)
            messages.success(request, f"已导入 {count} 条{title}")
            return redirect("workstation:directories")
        messages.error(request, "导入未完成：请按下列说明修改后重新导入（本次未保存任何数据）")
    return render(
        request,
        "workstation/directory_import.html",
        {"upload": upload, "errors": errors, "title": title, "kind": kind},
    )


def matching(request: HttpRequest) -> HttpResponse:
    form = MatchForm(request.GET or None)
    found = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        found = match(form.cleaned_data["q"])
    return render(request, "workstation/match.html", {"form": form, "found": found})


# --- key projects (BIO-7, SJ 7.3) ------------------------------------------------------------
@role_required(*HANDLERS)
def projects(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None)
    if request.method == "POST":
        made: list[KeyProject] = []
        if run_action(
            request,
            form,
            lambda c: made.append(workflow.open_project(by=request.user, **c)),
            "重点项目已登记，请核对遴选要点",
        ):
            return redirect("workstation:project", number=made[0].number)
    table = make_list(request, ProjectTable, KeyProject.objects.all())
    return render(request, "workstation/projects.html", {"table": table, "form": form})


@login_required
def project(request: HttpRequest, number: str) -> HttpResponse:
    found = visible(request.user, number)
    if found is None:
        raise Http404
    version = {"version": found.version}
    return render(
        request,
        "workstation/project.html",
        {
            "project": found,
            "can": ACTIONS.buttons(request.user, found),
            "check": CheckForm(initial={**version, "met": found.met}, record=found),
            "submit": SubmitForm(initial=version),
            "coach": CoachForm(initial=version),
            "decide": DecideForm(initial=version),
            "sessions": found.sessions.all(),
            "events": found.events.select_related("by__organisation"),
        },
    )
