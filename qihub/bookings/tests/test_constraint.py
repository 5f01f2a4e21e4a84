"""The PostgreSQL exclusion constraint holds on its own (ADR 0013): even a write that skips the
booking code's locked check cannot store an overlap of active bookings; a cancelled one may."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from conftest import UserFactory
from qihub.accounts.models import Role
from qihub.bookings.models import Booking, BookingStatus

AT = dt.datetime(2030, 3, 4, 9, tzinfo=dt.UTC)


def _row(window, user, start, status=BookingStatus.CONFIRMED, n=[0]) -> Booking:  # noqa: B006
    n[0] += 1
    return Booking.objects.create(
        number=f"YY-T{n[0]}",
        resource=window,
        user=user,
        start=start,
        end=start + dt.timedelta(minutes=30),
        purpose="consult",
        status=status,
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="约束仅在 PostgreSQL 上")
def test_overlap_refused_by_the_database(window):
    user = UserFactory(username="c1", role=Role.ENTERPRISE)
    _row(window, user, AT)
    _row(window, user, AT + dt.timedelta(minutes=30))  # touching is not overlapping
    _row(window, user, AT + dt.timedelta(minutes=10), status=BookingStatus.CANCELLED)
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(window, user, AT + dt.timedelta(minutes=15))
