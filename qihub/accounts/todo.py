"""The workbench cards' to-do counts: how many items wait for the user and how many of them are
past their statutory clock (`qihub.deadlines`).

One aggregate query per card (Count with a filter over an Exists on the clock table), never one
query per row, so a workbench costs a handful of queries whatever the backlog.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from qihub.accounts.models import User
from qihub.deadlines.models import Clock, ClockState


@dataclass(frozen=True)
class Todo:
    """What waits behind one card: the rows and the clocks whose lapse makes a row overdue."""

    rows: Callable[[User], QuerySet]
    clocks: tuple[str, ...] = ()
    # For rows that are clocks themselves (the deadline monitor): when a row is late.
    late: Callable[[], Q] | None = None
    waiting_label: str = "待办"


def _overdue(queryset: QuerySet, codes: tuple[str, ...]) -> Exists:
    # Clocks point at records by (content type, text id); an open clock is late once the sweep
    # marked it or its due time has passed (the sweep may not have run yet).
    return Exists(
        Clock.objects.filter(
            content_type=ContentType.objects.get_for_model(queryset.model),
            object_id=Cast(OuterRef("pk"), CharField()),
            code__in=codes,
        )
        .exclude(state=ClockState.STOPPED)
        .filter(Q(overdue_at__isnull=False) | Q(due_at__lt=timezone.now()))
    )


def count(todo: Todo, user: User) -> dict[str, int]:
    """{"waiting": n, "overdue": m} in one query."""
    rows = todo.rows(user)
    if todo.late is not None:
        return rows.aggregate(waiting=Count("pk"), overdue=Count("pk", filter=todo.late()))
    if not todo.clocks:
        return {"waiting": rows.count(), "overdue": 0}
    # Visible-to querysets may be DISTINCT over joins; counting over "pk in (…)" keeps the
    # clock subquery's outer reference on a plain table (still one query).
    plain = rows.model.objects.filter(pk__in=rows.values("pk"))
    return plain.aggregate(
        waiting=Count("pk"), overdue=Count("pk", filter=Q(_overdue(rows, todo.clocks)))
    )


# The row sets, each the same as the list page the card opens shows as still to do.


def my_demands(user: User) -> QuerySet:
    from qihub.demands.models import OPEN_STATUSES, Demand

    return Demand.objects.filter(client=user, status__in=OPEN_STATUSES)


def demands_to_handle(user: User) -> QuerySet:
    from qihub.demands.models import OPEN_STATUSES, Demand

    return Demand.objects.visible_to(user).filter(status__in=OPEN_STATUSES)


def my_orders(user: User) -> QuerySet:
    from qihub.orders.models import Order, OrderStatus

    return Order.objects.filter(
        client=user, status__in=[OrderStatus.PLACED, OrderStatus.QUOTED, OrderStatus.ACCEPTED]
    )


def institution_orders(user: User) -> QuerySet:
    from qihub.orders.models import Order, OrderStatus

    return Order.objects.visible_to(user).filter(
        status__in=[OrderStatus.PLACED, OrderStatus.ACCEPTED]
    )


def my_complaints(user: User) -> QuerySet:
    from qihub.complaints.models import Complaint, ComplaintStatus

    return Complaint.objects.filter(complainant=user).exclude(status=ComplaintStatus.CLOSED)


def complaints_to_answer(user: User) -> QuerySet:
    from qihub.complaints.models import Complaint, ComplaintStatus

    return Complaint.objects.visible_to(user).filter(status=ComplaintStatus.FORWARDED)


def complaints_to_handle(user: User) -> QuerySet:
    from qihub.complaints.models import Complaint, ComplaintStatus

    return Complaint.objects.exclude(status=ComplaintStatus.CLOSED)


def opinions_to_handle(user: User) -> QuerySet:
    from qihub.complaints.models import Opinion, OpinionStatus

    return Opinion.objects.filter(status=OpinionStatus.OPEN)


def applications_to_review(user: User) -> QuerySet:
    from qihub.onboarding.models import Application, ApplicationStatus

    return Application.objects.filter(status=ApplicationStatus.SUBMITTED)


def change_reports_to_review(user: User) -> QuerySet:
    from qihub.onboarding.models import ChangeReport, ChangeStatus

    return ChangeReport.objects.filter(status=ChangeStatus.SUBMITTED)


def qualification_changes_to_review(user: User) -> QuerySet:
    from qihub.institutions.models import ChangeStatus, QualificationChange

    return QualificationChange.objects.filter(status=ChangeStatus.SUBMITTED)


def rectifications_open(user: User) -> QuerySet:
    from qihub.evaluations.actions import rectifications_visible_to
    from qihub.evaluations.models import RectificationStatus

    return rectifications_visible_to(user).exclude(status=RectificationStatus.CLOSED)


def station_samples(user: User) -> QuerySet:
    from qihub.samples.models import OPEN_SAMPLE_STATUSES, Sample

    if user.station_id is None:
        return Sample.objects.none()
    return Sample.objects.filter(station_id=user.station_id, status__in=OPEN_SAMPLE_STATUSES)


def open_clocks(user: User) -> QuerySet:
    return Clock.objects.exclude(state=ClockState.STOPPED)


def clock_is_late() -> Q:
    return Q(overdue_at__isnull=False) | Q(due_at__lt=timezone.now())


def upkeep_due(user: User) -> QuerySet:
    """Facility upkeep items in their reminder window or past due (STA-4): the station staff's
    own station's, every station's for the back office."""
    from qihub.stations.access import stations_for
    from qihub.stations.models import UpkeepItem

    return UpkeepItem.objects.filter(
        station__in=stations_for(user), remind_from__lte=timezone.localdate()
    )


def upkeep_is_late() -> Q:
    return Q(due_on__lt=timezone.localdate())


DEMAND_CLOCKS = ("demand_response", "demand_recommendation")


def my_bookings(user: User) -> QuerySet:
    from qihub.bookings.models import ACTIVE, Booking

    return Booking.objects.filter(user=user, status__in=ACTIVE, end__gt=timezone.now())


def bookings_today(user: User) -> QuerySet:
    """Today's bookings of the user's own resource still to receive (to confirm or check in)."""
    import datetime as dt

    from qihub.bookings.models import Booking, BookingStatus
    from qihub.workcal.calendar import TZ

    start = dt.datetime.combine(timezone.now().astimezone(TZ).date(), dt.time(0), TZ)
    rows = Booking.objects.filter(
        start__gte=start,
        start__lt=start + dt.timedelta(days=1),
        status__in=[BookingStatus.REQUESTED, BookingStatus.CONFIRMED],
    )
    if user.station_id is not None:
        return rows.filter(resource__station_id=user.station_id)
    # The appointment service only: instrument bookings wait behind the 共享仪器 card.
    return rows.filter(resource__organisation__account=user, resource__kind="institution")


def instrument_bookings(user: User) -> QuerySet:
    """Bookings of the institution's instruments that wait for it: to approve, or in use."""
    from qihub.bookings.models import Booking, BookingStatus, ResourceKind

    return Booking.objects.filter(
        resource__kind=ResourceKind.INSTRUMENT,
        resource__organisation__account=user,
        status__in=[BookingStatus.REQUESTED, BookingStatus.CHECKED_IN],
    )


MY_DEMANDS = Todo(my_demands, DEMAND_CLOCKS)
DEMAND_QUEUE = Todo(demands_to_handle, DEMAND_CLOCKS)
RECEIVED_DEMANDS = Todo(demands_to_handle)
MY_ORDERS = Todo(my_orders, ("order_service",))
INSTITUTION_ORDERS = Todo(institution_orders, ("order_service",))
MY_COMPLAINTS = Todo(my_complaints, ("complaint",))
FORWARDED_COMPLAINTS = Todo(complaints_to_answer, ("complaint",))
COMPLAINT_QUEUE = Todo(complaints_to_handle, ("complaint",))
OPINIONS = Todo(opinions_to_handle)
APPLICATIONS = Todo(applications_to_review, ("account_review",))
CHANGE_REPORTS = Todo(change_reports_to_review)
QUALIFICATION_CHANGES = Todo(qualification_changes_to_review)
RECTIFICATIONS = Todo(rectifications_open, ("rectification",))
STATION_SAMPLES = Todo(station_samples)
OPEN_CLOCKS = Todo(open_clocks, late=clock_is_late, waiting_label="计时中")
UPKEEP = Todo(upkeep_due, late=upkeep_is_late)
MY_BOOKINGS = Todo(my_bookings, waiting_label="未到期")
BOOKINGS_TODAY = Todo(bookings_today)
INSTRUMENT_BOOKINGS = Todo(instrument_bookings)
