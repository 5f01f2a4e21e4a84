"""Station staff see their own station's work only (issue 16, item 5): visits, demands they took
in, upkeep and assessment (the last two in test_upkeep and test_assessment)."""

import datetime as dt

from conftest import UserFactory
from qihub.accounts.models import Role
from qihub.demands.models import Visit


def test_station_staff_list_their_own_stations_visits_only(
    client_as, station, head, station_staff, elsewhere, operator
):
    colleague = UserFactory(username="colleague", role=Role.STATION_STAFF, station=station)
    for who, name in [(colleague, "本站走访企业"), (elsewhere, "外站走访企业")]:
        Visit.objects.create(
            station_staff=who, enterprise_name=name, visited_on=dt.date(2026, 5, 1), summary="走访"
        )
    mine = client_as(station_staff).get("/station/visits/").content.decode()
    theirs = client_as(elsewhere).get("/station/visits/").content.decode()
    everyone = client_as(operator).get("/station/visits/").content.decode()

    assert "本站走访企业" in mine and "外站走访企业" not in mine
    assert "外站走访企业" in theirs and "本站走访企业" not in theirs
    assert "本站走访企业" in everyone and "外站走访企业" in everyone
