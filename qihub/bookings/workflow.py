"""Every change of a booking's status goes through here (ORD-3), on the one workflow mechanism
(`qihub.core.workflow`, ADR 0009). Booking itself (the creating move) holds the no-double-booking
guarantee: see `book` and ADR 0013."""

import datetime as dt
import time
from collections.abc import Callable
from decimal import Decimal

import rules
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from qihub.accounts.models import Role, User
from qihub.accounts.roles import is_client
from qihub.bookings.models import ACTIVE, Booking, BookingEvent, BookingStatus, Resource
from qihub.core.numbering import next_number
from qihub.core.workflow import Workflow, WorkflowError, move
from qihub.notifications.outbox import notify

S = BookingStatus
TAKEN = "该时段已被预约，请选择其他时段"


@rules.predicate
def is_booker(user: User, booking: Booking | None) -> bool:
    return booking is not None and booking.user_id == user.pk


@rules.predicate
def is_resource_staff(user: User, booking: Booking | None) -> bool:
    """The station's staff for a station window; the institution's account for its service."""
    return booking is not None and runs(user, booking.resource)


def runs(user: User, resource: Resource) -> bool:
    if not user.is_authenticated:
        return False
    if resource.station_id is not None:
        return user.role == Role.STATION_STAFF and user.station_id == resource.station_id
    if resource.organisation_id is not None:
        return user.role == Role.INSTITUTION and resource.organisation.account_id == user.pk
    return False


FLOW = Workflow(
    Booking,
    events=BookingEvent,
    subject="booking",
    moves=[
        move("request", "申请预约", is_client, {None}, S.REQUESTED),
        move("book", "预约", is_client, {None}, S.CONFIRMED),
        move(
            "approve",
            "确认预约",
            is_resource_staff,
            {S.REQUESTED},
            S.CONFIRMED,
            refusal="只有该资源的工作人员可以确认预约",
        ),
        move(
            "adjust",
            "调整时间并确认",
            is_resource_staff,
            {S.REQUESTED},
            S.CONFIRMED,
            refusal="只有该资源的工作人员可以调整预约时间",
        ),
        move(
            "refuse",
            "拒绝预约",
            is_resource_staff,
            {S.REQUESTED},
            S.REFUSED,
            refusal="只有该资源的工作人员可以拒绝预约",
        ),
        move(
            "cancel",
            "取消预约",
            is_booker | is_resource_staff,
            {S.REQUESTED, S.CONFIRMED},
            S.CANCELLED,
            refusal="只有预约人或该资源的工作人员可以取消预约",
        ),
        move(
            "check_in",
            "签到",
            is_resource_staff,
            {S.CONFIRMED},
            S.CHECKED_IN,
            refusal="只有该资源的工作人员可以办理签到",
        ),
        move(
            "finish",
            "办结",
            is_resource_staff,
            {S.CHECKED_IN},
            S.DONE,
            refusal="只有该资源的工作人员可以办结预约",
        ),
        move(
            "no_show",
            "登记未到",
            is_resource_staff,
            {S.CONFIRMED},
            S.NO_SHOW,
            refusal="只有该资源的工作人员可以登记未到",
        ),
        # The no-show stays a no-show; the event is what lifts the user's block (`blocked`).
        move(
            "lift",
            "解除预约限制",
            is_resource_staff,
            {S.NO_SHOW},
            None,
            refusal="只有该资源的工作人员可以解除预约限制",
        ),
    ],
)

# After this many no-shows within BLOCK_DAYS a user's new bookings need approval (INS-1).
BLOCK_AFTER = 3
BLOCK_DAYS = 90
BLOCKED = f"您在 {BLOCK_DAYS} 天内有 {BLOCK_AFTER} 次预约未到，新的预约须经资源方审批后生效"


def book(
    resource: Resource,
    user: User,
    start: dt.datetime,
    *,
    slots: int = 1,
    purpose: str,
    order: object | None = None,
    demand: object | None = None,
    now: dt.datetime | None = None,
) -> Booking:
    """Book `slots` consecutive slots from `start`, or raise `WorkflowError` naming the field.

    The guarantee (ADR 0013): the overlap check and the insert run in one transaction that holds
    the resource's write lock — `select_for_update` on the resource row on PostgreSQL, the
    IMMEDIATE transaction's database write lock on SQLite — so writers of one resource are
    serialised; on PostgreSQL the exclusion constraint refuses an overlap even if code forgets."""
    from qihub.bookings.slots import check_request

    end = start + dt.timedelta(minutes=resource.slot_minutes * slots)
    check_request(resource, user, start, slots, purpose, now=now)
    action = "request" if resource.needs_approval or blocked(user, now=now) else "book"
    for attempt in range(50):
        try:
            return _insert(resource, user, start, end, purpose, action, order, demand)
        except IntegrityError as exc:
            raise WorkflowError(TAKEN) from exc
        except OperationalError as exc:
            # SQLite's shared in-memory test database answers a held lock with "locked" at once
            # instead of waiting: wait and take the turn again (the check runs again inside).
            if "locked" not in str(exc) or attempt == 49:
                raise
            time.sleep(0.01 * (attempt + 1))
    raise WorkflowError(TAKEN)  # pragma: no cover - the loop returns or raises


def _insert(
    resource: Resource,
    user: User,
    start: dt.datetime,
    end: dt.datetime,
    purpose: str,
    action: str,
    order: object | None,
    demand: object | None,
) -> Booking:
    from qihub.bookings.slots import check_user_limits

    with FLOW.create(action, by=user) as step:
        _lock_and_check(resource, start, end)
        check_user_limits(resource, user, start)
        with transaction.atomic():
            step.record = Booking.objects.create(
                number=next_number("YY", at=step.at),
                resource=resource,
                user=user,
                start=start,
                end=end,
                purpose=purpose,
                order=order,
                demand=demand,
                status=step.target,
            )
        for person in staff_of(resource):
            notify([person], "新预约", f"{resource}：{_when(step.record)}")
    return step.record


def _lock_and_check(
    resource: Resource, start: dt.datetime, end: dt.datetime, *, leave_out: int | None = None
) -> None:
    """Take the resource's write lock, then refuse a clash with any active booking (widened by
    the gap). Booking and adjusting both go through here (ADR 0013)."""
    Resource.objects.select_for_update().get(pk=resource.pk)
    gap = dt.timedelta(minutes=resource.gap_minutes)
    clash = Booking.objects.filter(
        resource=resource, status__in=ACTIVE, start__lt=end + gap, end__gt=start - gap
    ).exclude(pk=leave_out)
    if clash.exists():
        raise WorkflowError(TAKEN)


def staff_of(resource: Resource) -> list[User]:
    if resource.station_id is not None:
        return list(User.objects.filter(role=Role.STATION_STAFF, station_id=resource.station_id))
    if resource.organisation_id is not None:
        return [resource.organisation.account]
    return []


def _when(booking: Booking) -> str:
    from qihub.workcal.calendar import TZ

    start, end = booking.start.astimezone(TZ), booking.end.astimezone(TZ)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"


def approve(booking: Booking, *, by: User, version: int | None = None) -> Booking:
    with FLOW.step(booking, "approve", by=by, version=version) as step:
        notify([step.record.user], "预约已确认", _when(step.record))
    return step.record


def adjust(
    booking: Booking, start: dt.datetime, *, by: User, version: int | None = None
) -> Booking:
    """Approve at another time: the new slot is checked and taken under the same lock as a new
    booking, so adjusting can never create an overlap (ADR 0013)."""
    from qihub.bookings.slots import check_in_hours
    from qihub.workcal.calendar import TZ

    resource = booking.resource
    now = timezone.now()
    if start <= now:
        raise WorkflowError("调整后的时段：不能选择已过去的时间")
    if start.astimezone(TZ).date() >= now.astimezone(TZ).date() + dt.timedelta(
        days=resource.horizon_days
    ):
        raise WorkflowError(f"调整后的时段：只能选择 {resource.horizon_days} 天以内的时段")
    step_length = dt.timedelta(minutes=resource.slot_minutes)
    slots = max(1, round((booking.end - booking.start) / step_length))
    end = start + step_length * slots
    check_in_hours(resource, start, slots)
    try:
        with FLOW.step(booking, "adjust", by=by, version=version) as step:
            _lock_and_check(resource, start, end, leave_out=booking.pk)
            before = _when(step.record)
            step.set(start=start, end=end)
            step.note = f"原时间 {before}"
            notify([step.record.user], "预约时间已调整并确认", f"{resource}：{_when(step.record)}")
    except IntegrityError as exc:  # PostgreSQL's exclusion constraint, should the check miss
        raise WorkflowError(TAKEN) from exc
    return step.record


def refuse(booking: Booking, *, by: User, reason: str, version: int | None = None) -> Booking:
    with FLOW.step(booking, "refuse", by=by, version=version, note=reason) as step:
        notify([step.record.user], "预约未通过", f"{booking.resource}：{reason}")
    return step.record


def lift(booking: Booking, *, by: User, version: int | None = None) -> Booking:
    """Lift the booker's no-show block: no-shows before this event no longer count."""
    with FLOW.step(booking, "lift", by=by, version=version) as step:
        notify([step.record.user], "预约限制已解除", f"{booking.resource}已解除您的预约限制")
    return step.record


def cancel(booking: Booking, *, by: User, version: int | None = None, note: str = "") -> Booking:
    with FLOW.step(booking, "cancel", by=by, version=version, note=note) as step:
        if step.record.start <= step.at:
            raise WorkflowError("预约时间已到，不能取消")
    return step.record


def check_in(booking: Booking, *, by: User, version: int | None = None) -> Booking:
    with FLOW.step(booking, "check_in", by=by, version=version) as step:
        pass
    return step.record


# What closing a booking of a kind also records, registered by the kind's app (INS-1: the use
# record and fee slip of an instrument), inside the same transaction as the step.
CLOSERS: dict[str, Callable[..., None]] = {}


def finish(
    booking: Booking,
    *,
    by: User,
    version: int | None = None,
    hours: Decimal | None = None,
    samples: int | None = None,
) -> Booking:
    with FLOW.step(booking, "finish", by=by, version=version) as step:
        closer = CLOSERS.get(step.record.resource.kind)
        if closer is not None:
            closer(step.record, by=by, at=step.at, hours=hours, samples=samples)
    return step.record


def no_show(booking: Booking, *, by: User, version: int | None = None) -> Booking:
    """Recorded per user (a later step blocks after 3 in 90 days: `no_shows`)."""
    with FLOW.step(booking, "no_show", by=by, version=version) as step:
        if step.record.start > step.at:
            raise WorkflowError("预约时间未到，不能登记未到")
    return step.record


def no_shows(user: User, days: int = BLOCK_DAYS, now: dt.datetime | None = None) -> int:
    """The user's no-shows in the last `days`; once an owner lifts the block, only no-shows
    recorded after that count."""
    since = (now or timezone.now()) - dt.timedelta(days=days)
    rows = Booking.objects.filter(user=user, status=S.NO_SHOW, start__gte=since)
    lifted = (
        BookingEvent.objects.filter(booking__user=user, kind="lift")
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if lifted is not None:
        rows = rows.filter(events__kind="no_show", events__at__gt=lifted)
    return rows.distinct().count()


def blocked(user: User, now: dt.datetime | None = None) -> bool:
    """3 no-shows in 90 days: new bookings anywhere become requests (INS-1)."""
    return user.is_authenticated and no_shows(user, now=now) >= BLOCK_AFTER
