"""Station staff see their station's demands and orders, not the whole platform (issue 13,
probe finding 2): the ones they answer for or took in, their station's, and their area's."""

import pytest

from qihub.accounts.models import Role, Station
from qihub.core import testing
from qihub.demands.models import DemandStatus


@pytest.fixture
def station(db):
    return Station.objects.create(name="滨湖区服务站", region="320211")


@pytest.fixture
def desk(station):
    """A member of the station's staff."""
    return testing.VerifiedUserFactory(role=Role.STATION_STAFF, station=station)


@pytest.mark.req("ACC-9")
def test_station_staff_see_their_area_and_their_own_work_only(client_as, desk, station, operator):
    local = testing.demand(region="320211", title="滨湖区企业的需求")
    assigned = testing.demand(
        region="110101", status=DemandStatus.RESPONDED, responsible=desk, title="分派给本人的需求"
    )
    elsewhere = testing.demand(region="440305", title="深圳企业的需求")
    colleague = testing.VerifiedUserFactory(role=Role.STATION_STAFF, station=station)
    taken_in = testing.demand(region="110101", entered_by=colleague, title="本站同事代录的需求")
    staff = client_as(desk)

    queue = staff.get("/ops/demands/").content.decode()
    api = {row["number"] for row in staff.get("/api/v1/demands").json()}
    pages = {
        d.number: staff.get(f"/demands/{d.number}/").status_code
        for d in (local, assigned, elsewhere, taken_in)
    }

    for shown in (local, assigned, taken_in):
        assert shown.number in queue and shown.number in api and pages[shown.number] == 200
    assert elsewhere.number not in queue and elsewhere.number not in api
    assert pages[elsewhere.number] == 404
    # The back office still sees everything.
    assert elsewhere.number in client_as(operator).get("/ops/demands/").content.decode()


@pytest.mark.req("ORD-2")
def test_station_staff_see_the_orders_of_their_area_only(client_as, desk):
    lab = testing.institution()
    near = testing.order(testing.OrganisationFactory(region="320211").account, institution_org=lab)
    far = testing.order(testing.OrganisationFactory(region="440305").account, institution_org=lab)
    staff = client_as(desk)

    listing = staff.get("/ops/orders/").content.decode()

    assert near.number in listing and far.number not in listing
    assert staff.get(f"/orders/{near.number}/").status_code == 200
    assert staff.get(f"/orders/{far.number}/").status_code == 404
    assert staff.get(f"/orders/{far.number}/report.pdf").status_code == 404


@pytest.mark.req("ACC-9")
def test_station_staff_cannot_act_on_a_demand_outside_their_station(client_as, desk):
    far = testing.demand(region="440305")

    response = client_as(desk).post(
        f"/api/v1/demands/{far.number}/respond", {"version": far.version, "note": ""}
    )

    far.refresh_from_db()
    assert response.status_code == 404 and far.status == DemandStatus.PUBLISHED
