import datetime as dt

import pytest

from qihub.accounts.models import Station
from qihub.bookings.models import Resource, ResourceKind
from qihub.stations.models import Period


@pytest.fixture
def window(db) -> Resource:
    """The window of the station the `station_staff` persona works at, open 9–17 every day so
    the next free slots never depend on the day the test runs (holidays aside: `first_free`)."""
    station = Station.objects.get_or_create(name="无锡市服务站", region="320200")[0]
    for day in range(7):
        Period.objects.create(station=station, weekday=day, opens=dt.time(9), closes=dt.time(17))
    return Resource.objects.create(
        kind=ResourceKind.STATION, name="无锡市服务站咨询窗口", station=station, max_slots=2
    )
