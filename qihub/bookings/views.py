"""Booking pages (ORD-3): the free-slot grid and booking, the booking's page and its .ics, the
staff's day view and the client's own list."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from qihub.accounts.models import Role
from qihub.accounts.models import Station as StationModel
from qihub.accounts.roles import CLIENTS
from qihub.bookings import ics, services, slots, workflow
from qihub.bookings.actions import ACTIONS, visible
from qihub.bookings.forms import BookForm, HoursForm, PolicyForm
from qihub.bookings.models import Booking, Resource, ResourceKind, WeeklyHour
from qihub.bookings.tables import DayTable, MineTable
from qihub.core.actions import run_action
from qihub.core.lists import make_list
from qihub.core.workflow import Refused
from qihub.demands.models import Demand
from qihub.orders.models import Order
from qihub.workcal.calendar import TZ


def book_start(request: HttpRequest, form_data: dict, resource: Resource) -> Booking:
    """Page and API book the same way: parse the picked slot, then `workflow.book`."""
    if request.user.role not in CLIENTS:
        raise Refused("只有企业或个人用户可以预约")
    linked = form_data.get("link")
    return workflow.book(
        resource,
        request.user,
        slots.parse_start(form_data["start"]),
        slots=form_data.get("slots") or 1,
        purpose=form_data["purpose"],
        order=linked if isinstance(linked, Order) else None,
        demand=linked if isinstance(linked, Demand) else None,
    )


def resource_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The free slots for the next days; a client picks one and books it."""
    resource = get_object_or_404(Resource, pk=pk)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        made: list[Booking] = []
        form = BookForm(request.POST, resource=resource, user=request.user)
        if run_action(
            request,
            form,
            lambda data: made.append(book_start(request, data, resource)),
            "预约已提交",
        ):
            return redirect("bookings:detail", number=made[0].number)
        if resource.kind in slots.PAGES:
            return redirect(slots.PAGES[resource.kind](resource))
        return redirect("bookings:resource", pk=pk)
    if resource.kind in slots.PAGES:  # a kind with its own page (an instrument's) books there
        return redirect(slots.PAGES[resource.kind](resource))
    return render(request, "bookings/resource.html", book_context(request, resource))


def book_context(request: HttpRequest, resource: Resource) -> dict:
    """What `bookings/_book_form.html` needs, for any page that offers booking a resource."""
    user = request.user
    is_client = user.is_authenticated and user.role in CLIENTS
    return {
        "resource": resource,
        "days": slots.grid(resource),
        "is_client": is_client,
        "runs": user.is_authenticated and workflow.runs(user, resource),
        "purposes": slots.purposes_for(resource),
        "form": BookForm(resource=resource, user=user),
        "block_sizes": range(resource.min_slots, resource.max_slots + 1),
        "purpose_note": "",
        "blocked": workflow.BLOCKED if is_client and workflow.blocked(user) else "",
    }


def station(request: HttpRequest, pk: int) -> HttpResponse:
    """The station page's "预约" button: the station's window (made on first use)."""
    found = get_object_or_404(StationModel, pk=pk, active=True)
    resource = services.station_window(found)
    if request.GET.get("view") == "day":
        return redirect("bookings:day", pk=resource.pk)
    return redirect("bookings:resource", pk=resource.pk)


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """The workbench card "今日预约": the day view of the user's own resource."""
    user = request.user
    resource = None
    if user.role == Role.STATION_STAFF and user.station_id is not None:
        resource = services.station_window(user.station)
    elif user.role == Role.INSTITUTION:
        resource = Resource.objects.filter(
            organisation__account=user, kind=ResourceKind.INSTITUTION
        ).first()
    if resource is None:
        messages.info(request, "您尚未开通预约服务")
        return redirect("accounts:workbench")
    return redirect("bookings:day", pk=resource.pk)


@login_required
def day(request: HttpRequest, pk: int) -> HttpResponse:
    """The staff's day view of their resource (today unless `?date=` names another day)."""
    resource = get_object_or_404(Resource, pk=pk)
    if not workflow.runs(request.user, resource):
        raise Http404
    try:
        on = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        on = dt.datetime.now(TZ).date()
    start = dt.datetime.combine(on, dt.time(0), TZ)
    rows = Booking.objects.filter(
        resource=resource, start__gte=start, start__lt=start + dt.timedelta(days=1)
    ).select_related("user__organisation", "order", "demand")
    table = make_list(request, DayTable, rows)
    return render(
        request,
        "bookings/day.html",
        {
            "resource": resource,
            "table": table,
            "on": on,
            "previous": on - dt.timedelta(days=1),
            "next": on + dt.timedelta(days=1),
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    rows = Booking.objects.filter(user=request.user).select_related("resource")
    return render(request, "bookings/mine.html", {"table": make_list(request, MineTable, rows)})


@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    booking = visible(request.user, number)
    if booking is None:
        raise Http404
    can = ACTIONS.buttons(request.user, booking)
    return render(
        request,
        "bookings/detail.html",
        {
            "booking": booking,
            "can": can,
            "runs": workflow.runs(request.user, booking.resource),
            "free": slots.grid(booking.resource) if can["adjust"] else [],
            "blocked": workflow.blocked(booking.user),
            "kind_panel": slots.PANELS.get(booking.resource.kind, ""),
            "events": booking.events.select_related("by__organisation"),
        },
    )


@login_required
def calendar_file(request: HttpRequest, number: str) -> HttpResponse:
    booking = visible(request.user, number)
    if booking is None:
        raise Http404
    response = HttpResponse(ics.render(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="yuyue-{booking.number}.ics"'
    return response


@login_required
def policy(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner sets the resource's booking policy and, unless it is a station's window (whose
    hours are the station's own, STA-1), its weekly hours. Nothing is saved unless all is valid."""
    resource = get_object_or_404(Resource, pk=pk)
    if not workflow.runs(request.user, resource):
        raise Http404
    own_hours = resource.station_id is None
    data = request.POST if request.method == "POST" else None
    form = PolicyForm(data, instance=resource)
    hours = HoursForm(data, initial_hours=list(resource.hours.all())) if own_hours else None
    if data is not None and form.is_valid() and (hours is None or hours.is_valid()):
        with transaction.atomic():
            form.save()
            if hours is not None:
                resource.hours.all().delete()
                WeeklyHour.objects.bulk_create(
                    WeeklyHour(resource=resource, weekday=day, opens=opens, closes=closes)
                    for day, opens, closes in hours.periods
                )
        messages.success(request, "预约规则已保存")
        return redirect("bookings:policy", pk=resource.pk)
    return render(
        request,
        "bookings/policy.html",
        {"resource": resource, "form": form, "hours": hours},
        status=400 if data is not None else 200,
    )
