"""Instrument sharing pages (INS-1): the public list and the instrument's page with its booking
grid; the owner's instruments, permits, use records, fee slips and statistics."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from qihub.accounts.models import Document, DocumentKind, Organisation, Role
from qihub.accounts.uploads import open_stored, upload_batch
from qihub.bookings.models import Booking, BookingStatus, Resource, ResourceKind, WeeklyHour
from qihub.bookings.views import book_context
from qihub.core.actions import run_action
from qihub.core.exports import xlsx_response
from qihub.core.lists import make_list
from qihub.instruments import services
from qihub.instruments.forms import InstrumentForm, PermitForm
from qihub.instruments.models import FeeSlip, Instrument, InstrumentPermit
from qihub.instruments.tables import (
    FeeTable,
    InstrumentFilter,
    InstrumentTable,
    MyInstrumentTable,
    StatsTable,
)
from qihub.workcal.calendar import TZ


def public_list(request: HttpRequest) -> HttpResponse:
    rows = Instrument.objects.filter(listed=True).select_related("owner")
    table = make_list(request, InstrumentTable, rows, filterset_class=InstrumentFilter)
    return render(request, "instruments/list.html", {"table": table})


def owns(user: Any, instrument: Instrument) -> bool:
    return (
        user.is_authenticated
        and user.role == Role.INSTITUTION
        and instrument.owner.account_id == user.pk
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = get_object_or_404(Instrument.objects.select_related("owner", "resource"), pk=pk)
    mine = owns(request.user, instrument)
    if not instrument.listed and not mine:
        raise Http404
    context = book_context(request, instrument.resource)
    context["purposes"], context["purpose_note"] = services.purposes(instrument, request.user)
    if context["is_client"] and not context["purposes"]:
        context["is_client"] = False  # nothing this user may book here (a project-only instrument)
    context.update(
        instrument=instrument,
        mine=mine,
        hours=instrument.resource.hours.all(),
        permit=services.permit_of(request.user, instrument),
        permits=instrument.permits.select_related("user") if mine else [],
        permit_form=PermitForm() if mine else None,
        pending=(
            instrument.resource.bookings.filter(
                status__in=[
                    BookingStatus.REQUESTED,
                    BookingStatus.CONFIRMED,
                    BookingStatus.CHECKED_IN,
                ]
            ).select_related("user")
            if mine
            else []
        ),
    )
    return render(request, "instruments/detail.html", context)


def _own_organisation(request: HttpRequest) -> Organisation:
    user = request.user
    if user.role != Role.INSTITUTION or not hasattr(user, "organisation"):
        raise Http404
    return user.organisation


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    organisation = _own_organisation(request)
    rows = Instrument.objects.filter(owner=organisation).annotate(
        waiting=Count(
            "resource__bookings",
            filter=Q(resource__bookings__status=BookingStatus.REQUESTED),
        )
    )
    return render(
        request, "instruments/mine.html", {"table": make_list(request, MyInstrumentTable, rows)}
    )


def _save(form: InstrumentForm, organisation: Organisation) -> Instrument:
    """The instrument, its resource (the booking policy) and its weekly hours, all or nothing."""
    data = form.cleaned_data
    with transaction.atomic(), upload_batch() as batch:
        instrument = form.save(commit=False)
        if data.get("photo"):
            instrument.photo = Document.objects.create(
                owner=organisation.account,
                kind=DocumentKind.SUPPORTING,
                **batch.store(data["photo"]),
            )
        if instrument.pk is None:
            instrument.owner = organisation
            instrument.resource = Resource.objects.create(
                kind=ResourceKind.INSTRUMENT, organisation=organisation, name=instrument.name
            )
        resource = instrument.resource
        resource.name = instrument.name
        resource.slot_minutes = data["slot_minutes"]
        resource.needs_approval = data["needs_approval"]
        # An instrument is booked by the hour or the half-day: up to a working day at once.
        resource.max_slots = max(1, 480 // data["slot_minutes"])
        resource.save()
        resource.hours.all().delete()
        for weekday in data["weekdays"]:
            WeeklyHour.objects.create(
                resource=resource, weekday=weekday, opens=data["opens"], closes=data["closes"]
            )
        instrument.search_text = services.search_text(instrument)
        instrument.save()
    return instrument


@login_required
def edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    organisation = _own_organisation(request)
    instrument = None
    if pk is not None:
        instrument = get_object_or_404(Instrument, pk=pk, owner=organisation)
    form = InstrumentForm(request.POST or None, request.FILES or None, instance=instrument)
    if request.method == "POST" and form.is_valid():
        saved = _save(form, organisation)
        messages.success(request, "仪器信息已保存")
        return redirect("instruments:detail", pk=saved.pk)
    return render(request, "instruments/edit.html", {"form": form, "instrument": instrument})


@login_required
@require_POST
def listing(request: HttpRequest, pk: int) -> HttpResponse:
    """List or unlist: an unlisted instrument leaves the public list and takes no bookings."""
    instrument = get_object_or_404(Instrument, pk=pk, owner=_own_organisation(request))
    instrument.listed = request.POST.get("listed") == "1"
    instrument.save(update_fields=["listed"])
    messages.success(request, "仪器已公开共享" if instrument.listed else "仪器已停止共享")
    return redirect("instruments:mine")


@login_required
@require_POST
def add_permit(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = get_object_or_404(Instrument, pk=pk)
    if not owns(request.user, instrument):
        raise Http404
    form = PermitForm(request.POST)

    def record(data: dict) -> None:
        InstrumentPermit.objects.create(
            instrument=instrument,
            user=data["user"],
            basis=data["basis"],
            on=data["on"],
            valid_until=data["valid_until"],
            recorded_by=request.user,
        )

    run_action(request, form, record, "上机资格已登记")
    return redirect("instruments:detail", pk=pk)


def _owned_booking(request: HttpRequest, number: str) -> Booking:
    booking = get_object_or_404(
        Booking.objects.select_related("resource__instrument__owner"),
        number=number,
        resource__kind=ResourceKind.INSTRUMENT,
    )
    if not owns(request.user, booking.resource.instrument):
        raise Http404
    return booking


@login_required
@require_POST
def use(request: HttpRequest, number: str, edge: str) -> HttpResponse:
    """The owner records the start or the stop of actual use (of a checked-in booking)."""
    booking = _owned_booking(request, number)
    record = services.use_of(booking)
    now = timezone.now()
    if booking.status != BookingStatus.CHECKED_IN:
        messages.error(request, "签到后才能登记使用")
    elif edge == "start" and record.started_at is None:
        record.started_at = now
        record.save(update_fields=["started_at"])
        messages.success(request, "已登记开始使用")
    elif edge == "stop" and record.started_at is not None and record.stopped_at is None:
        record.stopped_at = now
        record.save(update_fields=["stopped_at"])
        messages.success(request, "已登记结束使用")
    else:
        messages.error(request, "该次使用已登记，请刷新页面查看")
    return redirect("bookings:detail", number=number)


@login_required
def fee_slip(request: HttpRequest, number: str) -> HttpResponse:
    slip = get_object_or_404(
        FeeSlip.objects.select_related("booking__user", "instrument__owner", "booking__use"),
        number=number,
    )
    if slip.booking.user_id != request.user.pk and not owns(request.user, slip.instrument):
        raise Http404
    return render(request, "instruments/fee_slip.html", {"slip": slip})


def _month(request: HttpRequest) -> dt.date:
    try:
        return dt.datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()
    except ValueError:
        return timezone.now().astimezone(TZ).date().replace(day=1)


@login_required
def fees(request: HttpRequest) -> HttpResponse:
    """The owner's fee slips of one month, on the page and as an Excel file."""
    organisation = _own_organisation(request)
    month = _month(request)
    start = dt.datetime.combine(month, dt.time(0), TZ)
    end = dt.datetime.combine((month + dt.timedelta(days=32)).replace(day=1), dt.time(0), TZ)
    rows = FeeSlip.objects.filter(
        instrument__owner=organisation, issued_at__gte=start, issued_at__lt=end
    ).select_related("instrument", "booking__user__organisation")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            f"缴费单{month:%Y年%m月}.xlsx",
            f"{month:%Y年%m月}缴费单",
            [
                "缴费单号",
                "仪器",
                "缴费方",
                "数量",
                "计费单位",
                "单价（元）",
                "金额（元）",
                "公益",
                "开具时间",
            ],
            (
                [
                    s.number,
                    s.instrument.name,
                    s.booking.user.party_name,
                    s.quantity,
                    s.unit,
                    s.unit_price,
                    s.amount,
                    "是" if s.free else "否",
                    s.issued_at,
                ]
                for s in rows
            ),
        )
    total = rows.aggregate(total=Sum("amount"))["total"] or 0
    return render(
        request,
        "instruments/fees.html",
        {
            "table": make_list(request, FeeTable, rows),
            "month": month,
            "total": total,
            "previous": (month - dt.timedelta(days=1)).replace(day=1),
            "next": (month + dt.timedelta(days=32)).replace(day=1),
        },
    )


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    """What sharing platforms report, per month: hours used, bookings, users, enterprises."""
    organisation = _own_organisation(request)
    rows = (
        Booking.objects.filter(
            resource__kind=ResourceKind.INSTRUMENT,
            resource__organisation=organisation,
            status=BookingStatus.DONE,
        )
        .annotate(month=TruncMonth("start", tzinfo=TZ))
        .values("month")
        .annotate(
            bookings=Count("pk"),
            hours=Sum("use__hours"),
            samples=Sum("use__samples"),
            users=Count("user", distinct=True),
            enterprises=Count("user", distinct=True, filter=Q(user__role=Role.ENTERPRISE)),
        )
        .order_by("-month")
    )
    return render(
        request, "instruments/stats.html", {"table": make_list(request, StatsTable, list(rows))}
    )


def photo(request: HttpRequest, pk: int) -> FileResponse:
    """A listed instrument's photo is public, like the rest of its page."""
    instrument = get_object_or_404(Instrument.objects.select_related("photo", "owner"), pk=pk)
    if instrument.photo is None or not (instrument.listed or owns(request.user, instrument)):
        raise Http404
    document = instrument.photo
    return FileResponse(open_stored(document.stored_name), content_type=document.content_type)
