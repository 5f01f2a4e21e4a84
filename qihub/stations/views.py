"""Station pages: the public directory and page (STA-1, STA-2), the operators' registry forms,
the head's board and hours, facility upkeep (STA-4) and the yearly assessment (STA-5)."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from qihub.accounts.models import Station
from qihub.accounts.permissions import role_required
from qihub.accounts.roles import ALL_STAFF, CLIENTS, DECIDERS, STATION_STAFF, is_decider
from qihub.core.exports import xlsx_response
from qihub.core.lists import make_list
from qihub.stations import access, forms, services
from qihub.stations.hours import is_open
from qihub.stations.models import Area, Assessment, Membership, Period, Profile, UpkeepItem
from qihub.stations.tables import DirectoryFilter, DirectoryTable


def directory(request: HttpRequest) -> HttpResponse:
    rows = Station.objects.filter(active=True).prefetch_related("periods").order_by("name")
    table = make_list(request, DirectoryTable, rows, filterset_class=DirectoryFilter)
    return render(request, "stations/directory.html", {"table": table})


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    station = get_object_or_404(Station, pk=pk, active=True)
    profile = Profile.objects.filter(station=station).first()
    periods = list(station.periods.all())
    return render(
        request,
        "stations/detail.html",
        {
            "station": station,
            "profile": profile,
            "services": profile.services.order_by("name") if profile else [],
            "periods": periods,
            "open_now": is_open(periods),
            "areas": station.areas.all(),
            "head": station.memberships.filter(is_head=True).select_related("user").first(),
            "may_manage": access.may_manage(request.user, station),
            "may_edit_board": access.may_edit_board(request.user, station),
            "may_see_work": access.may_see_work(request.user, station),
            "year": timezone.localdate().year,
            # Clients book the window; a visitor sees the button and logs in first.
            "may_book": not request.user.is_authenticated or request.user.role in CLIENTS,
        },
    )


@role_required(*STATION_STAFF)
def mine(request: HttpRequest) -> HttpResponse:
    """The station staff's way to their own station's page (board, hours, upkeep, assessment)."""
    if request.user.station_id is None:
        messages.info(request, "您的账号尚未分配到服务站点，请联系平台运营人员")
        return redirect("stations:directory")
    return redirect("stations:detail", request.user.station_id)


def _station(request: HttpRequest, pk: int, allowed: Callable) -> Station:
    station = get_object_or_404(Station, pk=pk, active=True)
    if not allowed(request.user, station):
        # Station staff never learn of another station's back-office pages.
        if access.works_at(request.user, station) or request.user.is_anonymous:
            raise PermissionDenied("只有平台运营人员或本站点运营负责人可以修改")
        raise Http404
    return station


@role_required(*DECIDERS)
def new_station(request: HttpRequest) -> HttpResponse:
    form = forms.StationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        station = form.save()
        messages.success(request, "站点已登记")
        return redirect("stations:manage", station.pk)
    return render(
        request,
        "stations/form.html",
        {"form": form, "title": "登记服务站点"},
        status=400 if form.errors else 200,
    )


@role_required(*DECIDERS)
def manage(request: HttpRequest, pk: int) -> HttpResponse:
    """One page for the registry: the station's facts and services, staff, areas, hours, board."""
    station = _station(request, pk, access.may_manage)
    profile, _ = Profile.objects.get_or_create(station=station)
    part = request.POST.get("part", "")
    bound = request.POST if request.method == "POST" else None
    forms_ = {
        "station": forms.StationForm(
            bound if part == "station" else None, instance=station, prefix="s"
        ),
        "services": forms.ServicesForm(
            bound if part == "services" else None, instance=profile, prefix="v"
        ),
        "board": forms.BoardForm(bound if part == "board" else None, instance=profile, prefix="b"),
        "period": forms.PeriodForm(bound if part == "period" else None, prefix="p"),
        "member": forms.MembershipForm(
            bound if part == "member" else None, station=station, prefix="m"
        ),
        "area": forms.AreaForm(bound if part == "area" else None, prefix="a"),
    }
    if request.method == "POST":
        if part.startswith("remove-"):
            _remove(station, part, request.POST.get("id", ""))
            messages.success(request, "已移除")
            return redirect("stations:manage", station.pk)
        form = forms_.get(part)
        if form is None:
            raise Http404
        if form.is_valid():
            with transaction.atomic():
                record = form.save(commit=False)
                if part in ("period", "member", "area"):
                    record.station = station
                record.save()
                form.save_m2m()
            messages.success(request, "已保存")
            return redirect("stations:manage", station.pk)
    return render(
        request,
        "stations/manage.html",
        {
            "station": station,
            "forms": forms_,
            "periods": station.periods.all(),
            "members": station.memberships.select_related("user"),
            "areas": station.areas.all(),
            "full": True,
        },
        status=400 if any(f.errors for f in forms_.values()) else 200,
    )


def _remove(station: Station, part: str, key: str) -> None:
    model = {"remove-period": Period, "remove-member": Membership, "remove-area": Area}.get(part)
    if model is None or not key.isdigit():
        raise Http404
    get_object_or_404(model, pk=int(key), station=station).delete()


@role_required(*DECIDERS, *STATION_STAFF)
def board(request: HttpRequest, pk: int) -> HttpResponse:
    """The head of operations keeps their own station's board and hours."""
    station = _station(request, pk, access.may_edit_board)
    profile, _ = Profile.objects.get_or_create(station=station)
    part = request.POST.get("part", "")
    bound = request.POST if request.method == "POST" else None
    forms_ = {
        "board": forms.BoardForm(bound if part == "board" else None, instance=profile, prefix="b"),
        "period": forms.PeriodForm(bound if part == "period" else None, prefix="p"),
    }
    if request.method == "POST":
        if part == "remove-period":
            _remove(station, part, request.POST.get("id", ""))
            messages.success(request, "已移除")
            return redirect("stations:board", station.pk)
        form = forms_.get(part)
        if form is None:
            raise Http404
        if form.is_valid():
            record = form.save(commit=False)
            if part == "period":
                record.station = station
            record.save()
            messages.success(request, "已保存")
            return redirect("stations:board", station.pk)
    return render(
        request,
        "stations/manage.html",
        {"station": station, "forms": forms_, "periods": station.periods.all(), "full": False},
        status=400 if any(f.errors for f in forms_.values()) else 200,
    )


# --- facility upkeep (STA-4) ---------------------------------------------------------------


@role_required(*ALL_STAFF)
def upkeep(request: HttpRequest, pk: int) -> HttpResponse:
    station = _station(request, pk, access.may_see_work)
    may_add = access.may_edit_board(request.user, station)
    form = forms.UpkeepItemForm(
        request.POST if request.method == "POST" and may_add else None, station=station
    )
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied("只有平台运营人员或本站点运营负责人可以增加维护项目")
        if form.is_valid():
            item = form.save(commit=False)
            item.station, item.due_on = station, form.cleaned_data["due_on"]
            item.save()
            messages.success(request, f"维护项目“{item.name}”已增加")
            return redirect("stations:upkeep", station.pk)
    items = list(station.upkeep.select_related("responsible").prefetch_related("logs__by"))
    for item in items:
        # One form per item, each with its own ids so labels stay tied to their inputs.
        item.log_form = forms.UpkeepLogForm(
            auto_id=f"log{item.pk}_%s", initial={"done_on": timezone.localdate()}
        )
    return render(
        request,
        "stations/upkeep.html",
        {
            "station": station,
            "items": items,
            "form": form,
            "may_add": may_add,
            "today": timezone.localdate(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@role_required(*ALL_STAFF)
def upkeep_log(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    station = _station(request, pk, access.may_see_work)
    record = get_object_or_404(UpkeepItem, pk=item, station=station)
    form = forms.UpkeepLogForm(request.POST)
    if form.is_valid():
        services.log_upkeep(record, by=request.user, **form.cleaned_data)
        messages.success(request, f"“{record.name}”的检查记录已登记")
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"“{record.name}”未登记：{error}")
    return redirect("stations:upkeep", station.pk)


@role_required(*ALL_STAFF)
def upkeep_due(request: HttpRequest) -> HttpResponse:
    """The to-do list behind the workbench card: items due soon or overdue, own station only."""
    from qihub.accounts.todo import upkeep_due as rows

    return render(
        request,
        "stations/upkeep_due.html",
        {
            "items": rows(request.user).select_related("station", "responsible"),
            "today": timezone.localdate(),
        },
    )


# --- yearly assessment (STA-5) ---------------------------------------------------------------


@role_required(*ALL_STAFF)
def assessments(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    rows = [services.year_figures(s, year) for s in access.stations_for(request.user)]
    return render(
        request,
        "stations/assessments.html",
        {"rows": rows, "year": year, "may_add": is_decider(request.user)},
    )


@role_required(*ALL_STAFF)
def assessment_now(request: HttpRequest, pk: int) -> HttpResponse:
    """This year's assessment, for links that should not go stale at new year."""
    station = _station(request, pk, access.may_see_work)
    return redirect("stations:assessment", station.pk, timezone.localdate().year)


def _year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404
    return year


@role_required(*ALL_STAFF)
def assessment(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    station = _station(request, pk, access.may_see_work)
    year = _year(year)
    record = Assessment.objects.filter(station=station, year=year).first()
    may_edit = access.may_manage(request.user, station)
    form = forms.AssessmentForm(request.POST if request.method == "POST" else None, instance=record)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("只有平台运营人员可以登记年度考核")
        if form.is_valid():
            saved = form.save(commit=False)
            saved.station, saved.year, saved.updated_by = station, year, request.user
            saved.updated_at = timezone.now()
            saved.save()
            messages.success(request, f"{year} 年度考核已保存")
            return redirect("stations:assessment", station.pk, year)
    return render(
        request,
        "stations/assessment.html",
        {
            "station": station,
            "figures": services.year_figures(station, year),
            "form": form,
            "may_edit": may_edit,
            "min_full_time": services.MIN_FULL_TIME,
        },
        status=400 if form.errors else 200,
    )


EXPORT_HEADERS = [
    "站点",
    "年度",
    "工作人员",
    "专职人员",
    "运营负责人",
    "人员配备",
    "培训学时",
    "宣传活动",
    "代录需求",
    "走访企业",
    "窗口评价次数",
    "不符合项",
    "设施检查维护",
    "考核意见",
]


def export_row(f: services.YearFigures) -> list:
    return [
        f.station.name,
        f.year,
        f.staff,
        f.full_time,
        f.head or "未指定",
        "符合" if f.staffing_ok else "不符合",
        f.training_hours,
        f.campaigns,
        f.demands,
        f.visits,
        f.checks,
        f.failed_items,
        f.upkeep_logs,
        f.note,
    ]


@role_required(*ALL_STAFF)
def assessment_export(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    station = _station(request, pk, access.may_see_work)
    figures = services.year_figures(station, _year(year))
    return xlsx_response(
        f"{station.name}{year}年度考核.xlsx", "年度考核", EXPORT_HEADERS, [export_row(figures)]
    )


def home_link() -> str:
    return reverse("stations:directory")
