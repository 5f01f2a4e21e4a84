"""The training cards' to-dos (see `qihub.accounts.todo`): the same rows the pages show."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from qihub.accounts.models import User
from qihub.accounts.roles import is_decider
from qihub.accounts.todo import Todo
from qihub.training.models import Enrolment, EnrolmentStatus, Qualification
from qihub.training.staff import EXPIRY_WARNING_DAYS


def to_finish(user: User) -> QuerySet[Enrolment]:
    """Checked in at one's events, still without attendance and result."""
    rows = Enrolment.objects.filter(status=EnrolmentStatus.CHECKED_IN)
    return rows if is_decider(user) else rows.filter(event__organiser=user)


def expiring_qualifications(user: User) -> QuerySet[Qualification]:
    soon = timezone.localdate() + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    return Qualification.objects.filter(holder=user, valid_until__lte=soon)


def upcoming_enrolments(user: User) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(
        participant=user,
        status__in=(EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING),
        event__starts_at__gte=timezone.now(),
    )


ORGANISED = Todo(to_finish, waiting_label="待登记结业")
MY_QUALIFICATIONS = Todo(expiring_qualifications, waiting_label="资质将到期")
MY_ENROLMENTS = Todo(upcoming_enrolments, waiting_label="待参加")
