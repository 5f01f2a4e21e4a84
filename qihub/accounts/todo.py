"""The workbench cards' to-do counts: how many items wait for the user and how many of them are
past their statutory clock (`qihub.deadlines`).

One aggregate query per card (Count with a filter over an Exists on the clock table), never one
query per row, so a workbench costs a handful of queries whatever the backlog.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Value
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


def count_all(todos: list[Todo], user: User) -> list[dict[str, int]]:
    """`count(todo, user)` for each of `todos`, all in one query (issue 23: the operator's
    workbench ran one query per card, ~35). Each card's figures are `Count(..., filter=...)`
    over its own row set, so the numbers are those `count` gives; the cards of one model share
    one aggregate, and the aggregates of all models are read side by side in one statement."""
    if not todos:
        return []
    by_model: dict[type, list[int]] = {}
    row_sets = [todo.rows(user) for todo in todos]
    for i, rows in enumerate(row_sets):
        by_model.setdefault(rows.model, []).append(i)
    parts, params = [], []
    for n, (model, indexes) in enumerate(by_model.items()):
        figures: dict[str, Count] = {}
        for i in indexes:
            todo, rows = todos[i], row_sets[i]
            # Visible-to querysets may be DISTINCT over joins; "pk in (…)" keeps every card's
            # set (and the clock subquery's outer reference) on the model's plain table.
            mine = Q(pk__in=rows.values("pk"))
            figures[f"waiting_{i}"] = Count("pk", filter=mine)
            if todo.late is not None:
                figures[f"overdue_{i}"] = Count("pk", filter=mine & todo.late())
            elif todo.clocks:
                figures[f"overdue_{i}"] = Count("pk", filter=mine & Q(_overdue(rows, todo.clocks)))
        # One row of this model's figures. No default ordering: PostgreSQL refuses an ORDER BY
        # beside an aggregate.
        one_row = (
            model.objects.order_by().values(_one=Value(1)).annotate(**figures).values(*figures)
        )
        sql, part_params = one_row.query.get_compiler(using=one_row.db).as_sql()
        parts.append(f"LEFT JOIN ({sql}) AS todo_{n} ON 1 = 1")
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(
            # Only Django-compiled statements are joined here; every value is a parameter.
            f"SELECT * FROM (SELECT 1 AS todo_base) AS todo_base {' '.join(parts)}",  # noqa: S608
            params,
        )
        names = [c[0] for c in cursor.description]
        values = dict(zip(names, cursor.fetchone(), strict=True))
    # A model with no row on any card gives no row: its figures read as nought.
    return [
        {"waiting": values.get(f"waiting_{i}") or 0, "overdue": values.get(f"overdue_{i}") or 0}
        for i in range(len(todos))
    ]


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


def _equipment_due(user: User, special: bool) -> QuerySet:
    """The enterprise's items with a schedule in its warning window or past due (ENT-1, ENT-2),
    one row per item, in service."""
    from qihub.equipment.models import SPECIAL_KINDS, Item, ItemKind, Schedule

    kinds = SPECIAL_KINDS if special else [ItemKind.INSTRUMENT]
    due = Schedule.objects.filter(
        item__owner=user,
        item__kind__in=kinds,
        item__out_of_service=False,
        due_soon_from__lte=timezone.localdate(),
    )
    return Item.objects.filter(pk__in=due.values("item_id"))


def instruments_due(user: User) -> QuerySet:
    return _equipment_due(user, special=False)


def special_due(user: User) -> QuerySet:
    return _equipment_due(user, special=True)


def equipment_is_late() -> Q:
    from qihub.equipment.models import Schedule

    return Q(Exists(Schedule.objects.filter(item=OuterRef("pk"), due_on__lt=timezone.localdate())))


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


def diagnosis_problems(user: User) -> QuerySet:
    """Problems still followed up (ENT-7): an enterprise's own to answer, the diagnosers' to
    close (the visits they may see)."""
    from qihub.diagnosis.actions import visits_visible_to
    from qihub.diagnosis.models import OPEN_PROBLEM_STATUSES, Problem

    return Problem.objects.filter(
        visit__in=visits_visible_to(user), status__in=OPEN_PROBLEM_STATUSES
    )


def quality_risks(user: User) -> QuerySet:
    from qihub.diagnosis.risks import risks_visible_to

    return risks_visible_to(user)


def showcase_consents(user: User) -> QuerySet:
    from qihub.diagnosis.models import ShowcaseEntry, ShowcaseStatus

    return ShowcaseEntry.objects.filter(enterprise__account=user, status=ShowcaseStatus.AWAITING)


def showcase_awaiting(user: User) -> QuerySet:
    from qihub.diagnosis.models import ShowcaseEntry, ShowcaseStatus

    return ShowcaseEntry.objects.filter(status=ShowcaseStatus.AWAITING)


def changed_standards(user: User) -> QuerySet:
    """Watched standards whose status changed since the enterprise last looked (ENT-3)."""
    from qihub.standards.models import Watch

    return Watch.objects.filter(user=user, unread=True)


def lab_bookings(user: User) -> QuerySet:
    """Upcoming bookings of the institution's open labs still to receive (INS-2)."""
    from qihub.bookings.models import Booking, BookingStatus, ResourceKind

    return Booking.objects.filter(
        resource__kind=ResourceKind.LAB,
        resource__organisation__account=user,
        status__in=[BookingStatus.REQUESTED, BookingStatus.CONFIRMED],
        end__gt=timezone.now(),
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


# The quality clinic (DEM-10): the expert's questions, the asker's, the unrouted ones.
def _clinic(name: str) -> Callable[[User], QuerySet]:
    def rows(user: User) -> QuerySet:
        from qihub.clinic import queries

        return getattr(queries, name)(user)

    return rows


CLINIC_WAITING = Todo(_clinic("expert_waiting"), ("clinic_answer",))
CLINIC_DUE_SOON = Todo(_clinic("expert_due_soon"), ("clinic_answer",))
CLINIC_ANSWERED = Todo(_clinic("expert_answered"), waiting_label="已回答")
MY_CONSULTATIONS = Todo(_clinic("my_open"))
CLINIC_UNROUTED = Todo(_clinic("unrouted"))


# Guidance (ENT-4, ENT-5): standards to declare or review; declarations still in hand.
def my_standards(user: User) -> QuerySet:
    from qihub.guidance.models import Declared, EnterpriseStandard

    return EnterpriseStandard.objects.filter(owner=user).filter(
        ~Q(declared=Declared.DECLARED) | Q(review_due_on__lte=timezone.localdate())
    )


def standard_review_is_late() -> Q:
    return Q(review_due_on__lte=timezone.localdate())


def my_declarations(user: User) -> QuerySet:
    from qihub.guidance.models import IN_PROGRESS, Declaration

    return Declaration.objects.filter(enterprise=user, status__in=IN_PROGRESS)


def declarations_followed(user: User) -> QuerySet:
    from qihub.guidance.models import IN_PROGRESS, Declaration

    return Declaration.objects.filter(status__in=IN_PROGRESS)


def declaration_is_late() -> Q:
    # Still preparing after the window closed: the enterprise missed it (or did not record it).
    from qihub.guidance.models import DeclarationStatus

    return Q(status=DeclarationStatus.PREPARING, window__closes_on__lt=timezone.localdate())


MY_STANDARDS = Todo(my_standards, late=standard_review_is_late)
MY_DECLARATIONS = Todo(my_declarations, late=declaration_is_late, waiting_label="跟进中")
DECLARATIONS_FOLLOWED = Todo(
    declarations_followed, late=declaration_is_late, waiting_label="跟进中"
)
DIAGNOSIS_PROBLEMS = Todo(diagnosis_problems, ("diagnosis_followup",))
QUALITY_RISKS = Todo(quality_risks, waiting_label="风险")
SHOWCASE_CONSENTS = Todo(showcase_consents, waiting_label="待确认")
SHOWCASE_AWAITING = Todo(showcase_awaiting, waiting_label="待企业同意")
WATCHED_STANDARDS = Todo(changed_standards, waiting_label="有变化")
INSTRUMENTS_DUE = Todo(instruments_due, late=equipment_is_late)
SPECIAL_DUE = Todo(special_due, late=equipment_is_late)
LAB_BOOKINGS = Todo(lab_bookings, waiting_label="待接待")
INSTRUMENT_BOOKINGS = Todo(instrument_bookings)


# Workstation (BIO-7): key-project recommendations not yet decided.
def key_projects(user: User) -> QuerySet:
    from qihub.workstation.models import KeyProject, ProjectStatus

    return KeyProject.objects.filter(status__in=[ProjectStatus.PREPARING, ProjectStatus.SUBMITTED])


KEY_PROJECTS = Todo(key_projects, waiting_label="跟进中")


# Guided flows (BIO-2): the current steps waiting for the user's side, late by their step clock.
def my_flow_steps(user: User) -> QuerySet:
    from qihub.flows.models import Actor, RunStatus, RunStep, StepState

    return RunStep.objects.filter(
        state=StepState.CURRENT,
        step__actor=Actor.ENTERPRISE,
        run__status=RunStatus.RUNNING,
        run__enterprise__account=user,
    )


def flow_steps(user: User) -> QuerySet:
    from qihub.flows.models import Actor, RunStatus, RunStep, StepState

    return RunStep.objects.filter(
        state=StepState.CURRENT, step__actor=Actor.TEAM, run__status=RunStatus.RUNNING
    )


MY_FLOW_STEPS = Todo(my_flow_steps, ("flow_step",))
FLOW_STEPS = Todo(flow_steps, ("flow_step",))


def my_entrustments(user: User) -> QuerySet:
    """The client's entrustments still to sign or being handled (DEM-11)."""
    from qihub.agency.models import Entrustment, EntrustmentStatus

    return Entrustment.objects.filter(
        client=user, status__in=[EntrustmentStatus.SIGNING, EntrustmentStatus.ACTIVE]
    )


def entrustments_to_handle(user: User) -> QuerySet:
    """The signed entrustments the agent is handling (DEM-11)."""
    from qihub.agency.models import Entrustment, EntrustmentStatus

    return Entrustment.objects.filter(agent=user, status=EntrustmentStatus.ACTIVE)


MY_ENTRUSTMENTS = Todo(my_entrustments)
ENTRUSTMENTS_TO_HANDLE = Todo(entrustments_to_handle)


# Biomedical product archives (BIO-3, BIO-5, BIO-6): the archives one sees, late when the
# two-weekly follow-up clock has lapsed.
def visible_archives(user: User) -> QuerySet:
    from qihub.biomed.workflow import visible_archives as visible

    return visible(user)


def archives_in_review(user: User) -> QuerySet:
    from qihub.biomed.models import ReviewStatus
    from qihub.biomed.workflow import visible_archives as visible

    return visible(user).filter(review_status=ReviewStatus.SUBMITTED)


ARCHIVES = Todo(visible_archives, ("product_follow_up",), waiting_label="在档")
ARCHIVES_IN_REVIEW = Todo(archives_in_review, waiting_label="待预审")
from qihub.training.todo import MY_ENROLMENTS, MY_QUALIFICATIONS, ORGANISED  # noqa: E402, F401
