"""Staff appraisal (CMP-4, EVAL-7): figures per staff member and the retraining hold.

A staff member's services are the demands they are first responsible person for; the orders
placed from those demands carry the evaluations that count for them.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, Count, Max, Q, QuerySet
from django.utils import timezone

from qihub.accounts.models import Role, User
from qihub.accounts.roles import FIELD_STAFF, is_decider
from qihub.complaints.models import Complaint
from qihub.deadlines.clocks import spec_for
from qihub.deadlines.models import Clock, ClockState
from qihub.demands.models import DemandEvent
from qihub.evaluations.models import Evaluation
from qihub.notifications.outbox import notify
from qihub.training.models import RecordSource, TrainingRecord

# Appraised per person: the staff who go out to enterprises (FIELD_STAFF).
APPRAISED = FIELD_STAFF


class AppraisalError(Exception):
    pass


def evaluations_of(staff: User) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(order__demand__responsible=staff)


def _counting_since(staff: User, now: dt.datetime) -> dt.datetime:
    """The window of the rule, cut short by the last passed training."""
    since = now - dt.timedelta(days=settings.QIHUB_RETRAINING_WINDOW_DAYS)
    # Only a retraining restarts the count; other trainings share the table but not the rule.
    passed = staff.trainings.filter(passed=True, source=RecordSource.RETRAINING).aggregate(
        last=Max("recorded_at")
    )["last"]
    return max(since, passed) if passed else since


def apply_retraining_rule(staff: User) -> bool:
    """Flag the staff member when the dissatisfied evaluations reach the configured count."""
    if staff.role not in APPRAISED or staff.retraining_since:
        return False
    now = timezone.now()
    count = evaluations_of(staff).filter(overall__lte=2, at__gt=_counting_since(staff, now)).count()
    if count < settings.QIHUB_RETRAINING_DISSATISFIED:
        return False
    User.objects.filter(pk=staff.pk).update(retraining_since=now)
    staff.retraining_since = now
    notify(
        [staff, *User.objects.filter(role=Role.OPERATOR, is_active=True).exclude(pk=staff.pk)],
        f"待复训：{staff.shown_name}",
        f"近 {settings.QIHUB_RETRAINING_WINDOW_DAYS} 天内不满意评价 {count} 次，复训合格前暂停分配新的需求。",
        now=now,
    )
    return True


@transaction.atomic
def record_training(
    staff: User, *, by: User, held_on: dt.date, topic: str, passed: bool
) -> TrainingRecord:
    if not is_decider(by):
        raise AppraisalError("只有平台运营人员可以登记培训")
    if staff.role not in APPRAISED:
        raise AppraisalError("培训对象：须为平台或站点工作人员")
    if not topic.strip():
        raise AppraisalError("培训内容：必须填写")
    if held_on > timezone.localdate():
        raise AppraisalError("培训日期：不能晚于今天")
    # One training table (TRN-2): the retraining is a record like any other training.
    training = TrainingRecord.objects.create(
        person=staff,
        source=RecordSource.RETRAINING,
        held_on=held_on,
        topic=topic.strip(),
        passed=passed,
        recorded_by=by,
    )
    if passed and staff.retraining_since:
        User.objects.filter(pk=staff.pk).update(retraining_since=None)
        staff.retraining_since = None
        notify([staff], "复训合格", "您已恢复受理新的需求。")
    return training


@dataclass
class StaffFigures:
    staff: User
    on_time: dict[str, tuple[int, int]] = field(
        default_factory=dict
    )  # clock name → (on time, ended or late)
    returned: int = 0
    complaints: int = 0
    complaints_substantiated: int = 0
    evaluations: int = 0
    dissatisfied: int = 0
    mean_overall: float | None = None

    def on_time_rate(self) -> float | None:
        done = sum(total for _, total in self.on_time.values())
        return round(100 * sum(ok for ok, _ in self.on_time.values()) / done, 1) if done else None

    def handled(self) -> int:
        return sum(total for _, total in self.on_time.values())

    def returned_rate(self) -> float | None:
        handled = self.handled()
        return round(100 * self.returned / handled, 1) if handled else None


def figures(
    start: dt.datetime, end: dt.datetime, staff: list[User] | None = None
) -> list[StaffFigures]:
    """Per staff member in [start, end): clocks they owned that ended (or fell due unmet) in the
    period, work taken from them, complaints about them, evaluations of their services."""
    people = (
        staff
        if staff is not None
        else list(
            User.objects.filter(role__in=APPRAISED, is_active=True)
            .select_related("station")
            .order_by("username")
        )
    )
    rows = {person.pk: StaffFigures(person) for person in people}
    now = min(end, timezone.now())
    ended = Q(state=ClockState.STOPPED, stopped_at__gte=start, stopped_at__lt=end)
    late_open = Q(due_at__gte=start, due_at__lt=now) & ~Q(state=ClockState.STOPPED)
    clocks = (
        Clock.objects.filter(owner__in=rows)
        .filter(ended | late_open)
        .values_list("owner", "code", "state", "stopped_at", "due_at")
    )
    for owner, code, state, stopped_at, due_at in clocks:
        ok = state == ClockState.STOPPED and stopped_at is not None and stopped_at <= due_at
        name = spec_for(code).name
        good, total = rows[owner].on_time.get(name, (0, 0))
        rows[owner].on_time[name] = (good + ok, total + 1)
    for taken in (
        DemandEvent.objects.filter(
            kind="reassigned", concerning__in=rows, at__gte=start, at__lt=end
        )
        .values("concerning")
        .annotate(n=Count("id"))
    ):
        rows[taken["concerning"]].returned = taken["n"]
    for about in (
        Complaint.objects.filter(
            against_staff__in=rows, submitted_at__gte=start, submitted_at__lt=end
        )
        .values("against_staff")
        .annotate(n=Count("id"), yes=Count("id", filter=Q(substantiated=True)))
    ):
        rows[about["against_staff"]].complaints = about["n"]
        rows[about["against_staff"]].complaints_substantiated = about["yes"]
    for row in (
        Evaluation.objects.filter(order__demand__responsible__in=rows, at__gte=start, at__lt=end)
        .values("order__demand__responsible")
        .annotate(n=Count("id"), bad=Count("id", filter=Q(overall__lte=2)), mean=Avg("overall"))
    ):
        figure = rows[row["order__demand__responsible"]]
        figure.evaluations, figure.dissatisfied = row["n"], row["bad"]
        figure.mean_overall = round(row["mean"], 2)
    return list(rows.values())
