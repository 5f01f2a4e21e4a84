"""Staff records (TRN-2): hours per year against the 70-hour pace of full-time workstation staff
(SJ 5.2.4), qualifications and their validity, and the daily warnings."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import QuerySet

from qihub.accounts.models import User
from qihub.accounts.roles import FIELD_STAFF, is_decider
from qihub.core.workflow import Refused, WorkflowError
from qihub.notifications.outbox import notify
from qihub.training.models import Qualification, RecordSource, TrainingRecord
from qihub.training.workflow import hours_of

YEARLY_HOURS = Decimal(70)  # SJ 5.2.4: full-time workstation staff, at least 70 hours a year
EXPIRY_WARNING_DAYS = 60  # time enough to renew a certificate before it lapses


def pace(today: dt.date) -> Decimal:
    """The hours one should have by today: 70 × the elapsed share of the year."""
    start = dt.date(today.year, 1, 1)
    days = (dt.date(today.year + 1, 1, 1) - start).days
    share = Decimal((today - start).days + 1) / Decimal(days)
    return (YEARLY_HOURS * share).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def is_full_time(user: User) -> bool:
    """The flag lives on the staff member's station record (`stations.Membership.full_time`)."""
    membership = getattr(user, "membership", None)
    return bool(membership and membership.full_time)


@dataclass
class Standing:
    hours: Decimal
    pace: Decimal
    full_time: bool

    @property
    def behind(self) -> bool:
        return self.full_time and self.hours < self.pace

    @property
    def target(self) -> Decimal:
        return YEARLY_HOURS


def standing(user: User, today: dt.date) -> Standing:
    return Standing(hours_of(user, today.year), pace(today), is_full_time(user))


def full_time_staff() -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, membership__full_time=True, role__in=FIELD_STAFF
    ).select_related("membership", "membership__station")


def head_of(user: User) -> User | None:
    from qihub.stations.models import Membership

    membership = getattr(user, "membership", None)
    if membership is None:
        return None
    head = (
        Membership.objects.filter(station_id=membership.station_id, is_head=True)
        .exclude(user=user)
        .select_related("user")
        .first()
    )
    return head.user if head else None


def warn_behind_pace(today: dt.date) -> int:
    """Tell each full-time staff member below pace, and their head; once a week at most."""
    warned = 0
    week = f"{today.isocalendar().year}-{today.isocalendar().week}"
    for person in full_time_staff():
        now = standing(person, today)
        if not now.behind:
            continue
        body = (
            f"{today.year} 年已累计培训 {now.hours} 学时，按全年 {YEARLY_HOURS} 学时的进度"
            f"此时应达到 {now.pace} 学时。"
        )
        notify(
            [person],
            "培训学时落后于进度",
            body + "请尽快报名参加培训。",
            dedupe_key=f"training-pace:{person.pk}:{week}",
        )
        head = head_of(person)
        if head is not None:
            notify(
                [head],
                f"培训学时落后：{person.shown_name}",
                f"{person.shown_name}：" + body,
                dedupe_key=f"training-pace:{person.pk}:{week}",
            )
        warned += 1
    return warned


def expiring(user: User, today: dt.date) -> QuerySet[Qualification]:
    """Qualifications that lapse within the warning window, or have lapsed."""
    return user.qualifications.filter(
        valid_until__isnull=False,
        valid_until__lte=today + dt.timedelta(days=EXPIRY_WARNING_DAYS),
    )


def warn_expiring(today: dt.date) -> int:
    soon = Qualification.objects.filter(
        valid_until__gte=today, valid_until__lte=today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    ).select_related("holder")
    for q in soon:
        notify(
            [q.holder],
            f"资质即将到期：{q.name}",
            f"证书 {q.number or ''} 有效期至 {q.valid_until:%Y-%m-%d}，请及时办理延续。",
            dedupe_key=f"qualification-expiry:{q.pk}:{q.valid_until}",
        )
    return len(soon)


def may_keep_records(by: User, person: User) -> bool:
    """Staff keep their own records; operators keep anyone's."""
    return by.pk == person.pk or bool(is_decider(by))


def _check_keeper(by: User, person: User) -> None:
    if person.role not in FIELD_STAFF:
        raise WorkflowError("人员：须为平台或站点工作人员")
    if not may_keep_records(by, person):
        raise Refused("只能登记本人的培训与资质")


@transaction.atomic
def record_outside(
    person: User, *, by: User, held_on: dt.date, topic: str, organiser: str, hours: Decimal
) -> TrainingRecord:
    _check_keeper(by, person)
    return TrainingRecord.objects.create(
        person=person,
        source=RecordSource.OUTSIDE,
        held_on=held_on,
        topic=topic,
        organiser=organiser,
        hours=hours,
        recorded_by=by,
    )


@transaction.atomic
def add_qualification(person: User, *, by: User, **fields: object) -> Qualification:
    _check_keeper(by, person)
    return Qualification.objects.create(holder=person, recorded_by=by, **fields)
