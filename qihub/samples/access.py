"""Who sees which sample: its client, the staff of its station, the institution of its order,
and the back office (read only: the workflow table decides who acts)."""

from typing import Any

from django.db.models import QuerySet

from qihub.accounts.roles import BACK_OFFICE, CLIENTS, INSTITUTIONS, STATION_STAFF
from qihub.samples.models import Sample


def visible_samples(user: Any) -> QuerySet[Sample]:
    samples = Sample.objects.select_related(
        "order", "order__institution", "order__service", "station", "client"
    )
    if not getattr(user, "is_authenticated", False):
        return samples.none()
    if user.role in BACK_OFFICE:
        return samples
    if user.role in STATION_STAFF:
        return samples.filter(station_id=user.station_id) if user.station_id else samples.none()
    if user.role in INSTITUTIONS:
        return samples.filter(order__institution__account=user)
    if user.role in CLIENTS:
        return samples.filter(client=user)
    return samples.none()


def visible(user: Any, code: str) -> Sample | None:
    return visible_samples(user).filter(code=code).first()
