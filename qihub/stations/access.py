"""Who may see and change what of a station. Station staff reach only their own station."""

from typing import Any

from django.db.models import QuerySet

from qihub.accounts.models import Station
from qihub.accounts.roles import is_back_office, is_decider, is_station_staff


def works_at(user: Any, station: Station) -> bool:
    return bool(is_station_staff(user) and user.station_id == station.pk)


def is_head(user: Any, station: Station) -> bool:
    membership = getattr(user, "membership", None) if works_at(user, station) else None
    return bool(membership and membership.is_head and membership.station_id == station.pk)


def may_manage(user: Any, station: Station) -> bool:
    """The registry (type, name, services, staff, areas) is the operators' to keep."""
    return bool(is_decider(user))


def may_edit_board(user: Any, station: Station) -> bool:
    """The board and the hours: the operators, and the station's own head of operations."""
    return may_manage(user, station) or is_head(user, station)


def may_see_work(user: Any, station: Station) -> bool:
    """Upkeep and assessment: the back office, and the station's own staff."""
    return bool(is_back_office(user)) or works_at(user, station)


def stations_for(user: Any) -> QuerySet:
    rows = Station.objects.filter(active=True)
    if is_station_staff(user):
        return rows.filter(pk=user.station_id)
    if is_back_office(user):
        return rows
    return rows.none()
