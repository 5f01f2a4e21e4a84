"""Stations through the API: the public directory and page (STA-1, STA-2), the board and hours
(head or operators), facility upkeep (STA-4) and the yearly assessment (STA-5). The same forms,
rules and services as the pages (`qihub.stations.views`)."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from qihub.accounts.models import Station
from qihub.accounts.tokens import AUTH
from qihub.core.api import form_body, invalid
from qihub.demands.models import region_prefix
from qihub.stations import access, forms, services
from qihub.stations.hours import is_open
from qihub.stations.models import Assessment, Profile, UpkeepItem
from qihub.workcal.services import load_calendar

router = Router(tags=["服务站点"])
staff_router = Router(tags=["服务站点"], auth=AUTH)
ANSWERS = {200: dict, 201: dict, 403: dict, 404: dict, 422: dict}


def _summary(station: Station, calendar: Any) -> dict:
    return {
        "id": station.pk,
        "name": station.name,
        "kind": station.kind,
        "kind_label": station.get_kind_display(),
        "region": station.region,
        "address": station.address,
        "phone": station.phone,
        "open_now": is_open(station.periods.all(), None, calendar),
    }


@router.get(
    "/stations", response=list[dict], summary="服务站点名录（region 按地区代码前缀筛选，含营业中）"
)
def directory(request: HttpRequest, region: str = "", kind: str = "") -> list[dict]:
    rows = Station.objects.filter(active=True).prefetch_related("periods").order_by("name")
    if region:
        rows = rows.filter(region__startswith=region_prefix(region))
    if kind:
        rows = rows.filter(kind=kind)
    calendar = load_calendar()
    return [_summary(s, calendar) for s in rows]


@router.get(
    "/stations/{pk}",
    response={200: dict, 404: dict},
    summary="服务站点详情（服务时间、服务、功能区、公示栏）",
)
def detail(request: HttpRequest, pk: int) -> Status | dict:
    station = Station.objects.filter(pk=pk, active=True).first()
    if station is None:
        return Status(404, {"detail": "没有该站点"})
    profile = Profile.objects.filter(station=station).first()
    head = station.memberships.filter(is_head=True).select_related("user").first()
    return {
        **_summary(station, load_calendar()),
        "unified_name": station.unified_name,
        "mark": station.mark,
        "head": head.user.party_name if head else "",
        "hours": [
            {
                "weekday": p.weekday,
                "opens": p.opens.strftime("%H:%M"),
                "closes": p.closes.strftime("%H:%M"),
                "extended": p.extended,
            }
            for p in station.periods.all()
        ],
        "services": [s.code for s in profile.services.all()] if profile else [],
        "areas": [{"kind": a.kind, "name": a.name, "note": a.note} for a in station.areas.all()],
        "board": {
            f: getattr(profile, f, "")
            for f in [
                "organisation",
                "duties",
                "rules",
                "service_list",
                "process",
                "complaint_phone",
            ]
        },
    }


def _station(request: HttpRequest, pk: int, allowed: Callable) -> Station | Status:
    """404 for a station the user has no business with, 403 when they see it but may not act."""
    station = Station.objects.filter(pk=pk, active=True).first()
    if station is None or not access.may_see_work(request.user, station):
        return Status(404, {"detail": "没有该站点"})
    if not allowed(request.user, station):
        return Status(403, {"detail": "只有平台运营人员或本站点运营负责人可以修改"})
    return station


@staff_router.post(
    "/stations/{pk}/board", response=ANSWERS, summary="修改公示栏（运营负责人或平台运营人员）"
)
@form_body(forms.BoardForm)
def board(request: HttpRequest, pk: int) -> Status:
    station = _station(request, pk, access.may_edit_board)
    if isinstance(station, Status):
        return station
    profile, _ = Profile.objects.get_or_create(station=station)
    # The API changes only the texts it is sent; the page always sends them all.
    data = {name: getattr(profile, name) for name in forms.BoardForm.Meta.fields}
    data.update({k: v for k, v in request.POST.items() if k in data})
    form = forms.BoardForm(data, instance=profile)
    if not form.is_valid():
        return invalid(form)
    form.save()
    return Status(200, {"detail": "已保存"})


@staff_router.post(
    "/stations/{pk}/periods",
    response=ANSWERS,
    summary="增加服务时段（weekday 0–6，延时错时服务 extended）",
)
@form_body(forms.PeriodForm)
def add_period(request: HttpRequest, pk: int) -> Status:
    station = _station(request, pk, access.may_edit_board)
    if isinstance(station, Status):
        return station
    form = forms.PeriodForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    period = form.save(commit=False)
    period.station = station
    period.save()
    return Status(201, {"id": period.pk})


def _item(item: UpkeepItem, today: Any) -> dict:
    return {
        "id": item.pk,
        "name": item.name,
        "cycle_days": item.cycle_days,
        "responsible": item.responsible.party_name,
        "due_on": item.due_on.isoformat(),
        "due_soon": item.due_soon(today),
        "overdue": item.overdue(today),
        "logs": [
            {
                "done_on": log.done_on.isoformat(),
                "by": log.by.party_name,
                "result": log.result,
                "result_label": log.get_result_display(),
                "note": log.note,
            }
            for log in item.logs.all()
        ],
    }


@staff_router.get("/stations/{pk}/upkeep", response=ANSWERS, summary="设施检查维护项目及记录")
def upkeep(request: HttpRequest, pk: int) -> Status:
    station = _station(request, pk, access.may_see_work)
    if isinstance(station, Status):
        return station
    today = timezone.localdate()
    items = station.upkeep.select_related("responsible").prefetch_related("logs__by")
    return Status(200, {"items": [_item(i, today) for i in items]})


@staff_router.post(
    "/stations/{pk}/upkeep", response=ANSWERS, summary="增加维护项目（周期、责任人、提前提醒天数）"
)
@form_body(forms.UpkeepItemForm)
def add_upkeep(request: HttpRequest, pk: int) -> Status:
    station = _station(request, pk, access.may_edit_board)
    if isinstance(station, Status):
        return station
    form = forms.UpkeepItemForm(request.POST, station=station)
    if not form.is_valid():
        return invalid(form)
    item = form.save(commit=False)
    item.station, item.due_on = station, form.cleaned_data["due_on"]
    item.save()
    return Status(201, _item(item, timezone.localdate()))


@staff_router.post("/stations/{pk}/upkeep/{item}/log", response=ANSWERS, summary="登记一次检查维护")
@form_body(forms.UpkeepLogForm)
def log_upkeep(request: HttpRequest, pk: int, item: int) -> Status:
    station = _station(request, pk, access.may_see_work)
    if isinstance(station, Status):
        return station
    record = UpkeepItem.objects.filter(pk=item, station=station).first()
    if record is None:
        return Status(404, {"detail": "没有该维护项目"})
    form = forms.UpkeepLogForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    services.log_upkeep(record, by=request.user, **form.cleaned_data)
    record.refresh_from_db()
    return Status(201, _item(record, timezone.localdate()))


def _figures(f: services.YearFigures) -> dict:
    return {
        "station": f.station.name,
        "year": f.year,
        "staff": f.staff,
        "full_time": f.full_time,
        "head": f.head,
        "staffing_ok": f.staffing_ok,
        "training_hours": f.training_hours,
        "campaigns": f.campaigns,
        "demands": f.demands,
        "visits": f.visits,
        "window_checks": f.checks,
        "failed_items": f.failed_items,
        "upkeep_logs": f.upkeep_logs,
        "note": f.note,
    }


@staff_router.get("/stations/{pk}/assessment/{year}", response=ANSWERS, summary="站点年度考核")
def assessment(request: HttpRequest, pk: int, year: int) -> Status:
    station = _station(request, pk, access.may_see_work)
    if isinstance(station, Status):
        return station
    if not 2000 <= year <= 2100:
        return Status(404, {"detail": "年度不正确"})
    return Status(200, _figures(services.year_figures(station, year)))


@staff_router.post(
    "/stations/{pk}/assessment/{year}",
    response=ANSWERS,
    summary="登记年度培训学时、宣传活动与考核意见",
)
@form_body(forms.AssessmentForm)
def save_assessment(request: HttpRequest, pk: int, year: int) -> Status:
    station = _station(request, pk, access.may_manage)
    if isinstance(station, Status):
        return station
    if not 2000 <= year <= 2100:
        return Status(404, {"detail": "年度不正确"})
    record = Assessment.objects.filter(station=station, year=year).first()
    form = forms.AssessmentForm(request.POST, instance=record)
    if not form.is_valid():
        return invalid(form)
    saved = form.save(commit=False)
    saved.station, saved.year, saved.updated_by = station, year, request.user
    saved.updated_at = timezone.now()
    saved.save()
    return Status(200, _figures(services.year_figures(station, year)))


router.add_router("", staff_router)
