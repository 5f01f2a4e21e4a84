"""A booking linked to the client's own order or demand (ORD-3): the booking form offers them,
the booking page and the staff's day view show the link, and a foreign record posted through
the API is refused by name."""

import datetime as dt

import pytest
import time_machine

from qihub.bookings.models import Booking, Resource, ResourceKind, WeeklyHour
from qihub.core import testing
from qihub.workcal.calendar import TZ

MONDAY = dt.datetime(2026, 12, 7, 7, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _on_a_monday_morning():
    """The whole test (log-in sessions included) runs on that Monday, so slots are ahead."""
    with time_machine.travel(MONDAY, tick=True):
        yield


def _service(org) -> Resource:
    service = Resource.objects.create(
        kind=ResourceKind.INSTITUTION, name=f"{org.name}送样预约", organisation=org
    )
    for day in range(5):
        WeeklyHour.objects.create(
            resource=service, weekday=day, opens=dt.time(9), closes=dt.time(12)
        )
    return service


@pytest.mark.req("ORD-3")
def test_client_links_a_booking_to_own_order_and_staff_see_it(client_as, enterprise):
    org = testing.institution("滨湖计量检测所")
    service = _service(org)
    mine = testing.order(enterprise, institution_org=org)
    someone_elses = testing.order(institution_org=org)
    me = client_as(enterprise)
    page = me.get(f"/bookings/resources/{service.pk}/").content.decode()
    assert f"order:{mine.number}" in page and someone_elses.number not in page
    done = me.post(
        f"/bookings/resources/{service.pk}/",
        {"start": "2026-12-08 09:00", "purpose": "sample", "link": f"order:{mine.number}"},
        follow=True,
    )
    booking = Booking.objects.get()
    assert booking.order == mine
    assert mine.number in done.content.decode()  # the booking page shows the link
    day = client_as(org.account).get(f"/bookings/resources/{service.pk}/day/?date=2026-12-08")
    assert f"订单 {mine.number}" in day.content.decode()


@pytest.mark.req("ORD-3")
def test_api_refuses_a_foreign_order_by_name_and_books_nothing(client_as, enterprise):
    org = testing.institution("滨湖计量检测所")
    service = _service(org)
    someone_elses = testing.order(institution_org=org)
    refused = client_as(enterprise).post(
        f"/api/v1/resources/{service.pk}/book",
        {
            "start": "2026-12-08 09:00",
            "purpose": "sample",
            "link": f"order:{someone_elses.number}",
        },
    )
    assert refused.status_code == 422
    assert refused.json()["errors"]["link"] == [
        "关联订单或需求：只能关联您本人在该机构或站点的订单或需求"
    ]
    assert not Booking.objects.exists()


@pytest.mark.req("ORD-3")
def test_station_window_offers_the_clients_own_demand(client_as, enterprise, station_staff):
    from qihub.bookings.services import station_window

    window = station_window(station_staff.station)
    for day in range(7):
        window.station.periods.create(weekday=day, opens=dt.time(9), closes=dt.time(17))
    demand = testing.demand(enterprise, region="320211")
    made = client_as(enterprise).post(
        f"/api/v1/resources/{window.pk}/book",
        {"start": "2026-12-08 09:00", "purpose": "consult", "link": f"demand:{demand.number}"},
    )
    assert made.status_code == 201, made.json()
    assert made.json()["demand"] == demand.number
    assert Booking.objects.get().demand == demand
