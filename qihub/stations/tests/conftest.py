import datetime as dt

import pytest

from conftest import UserFactory
from qihub.accounts.models import Role, Station
from qihub.stations.models import Membership, Period


@pytest.fixture
def station(db) -> Station:
    """The station the `station_staff` persona works at, with weekday hours and a late Wednesday."""
    station = Station.objects.get_or_create(name="无锡市服务站", region="320200")[0]
    for day in range(5):
        Period.objects.create(station=station, weekday=day, opens=dt.time(9), closes=dt.time(17))
    Period.objects.create(
        station=station, weekday=2, opens=dt.time(18), closes=dt.time(20, 30), extended=True
    )
    return station


@pytest.fixture
def head(station) -> object:
    user = UserFactory(username="head", role=Role.STATION_STAFF, station=station)
    Membership.objects.create(station=station, user=user, is_head=True, full_time=True)
    return user


@pytest.fixture
def elsewhere(db) -> object:
    """Staff of another station: they must see nothing of the first station's work."""
    other = Station.objects.create(name="常州市服务站", region="320400")
    return UserFactory(username="elsewhere", role=Role.STATION_STAFF, station=other)
