"""The "open now" badge (STA-2): hours per weekday with extended evening hours, closed on public
holidays and open on make-up working days of the working-day calendar."""

import datetime as dt
import re

import pytest
import time_machine

from qihub.workcal.calendar import TZ
from qihub.workcal.models import CalendarException


@pytest.fixture
def calendar(db) -> None:
    CalendarException.objects.update_or_create(
        date=dt.date(2026, 10, 1),
        defaults={"is_working": False, "name": "国庆节", "source": "staff"},
    )
    CalendarException.objects.update_or_create(
        date=dt.date(2026, 10, 10),
        defaults={"is_working": True, "name": "国庆节调休", "source": "staff"},
    )
    CalendarException.objects.filter(date=dt.date(2026, 10, 14)).delete()


def badge(client, station) -> tuple[str, str, bool]:
    listing = client.get("/stations/").content.decode()
    row = re.search(rf'data-station="{station.pk}".*?</tr>', listing, re.S).group(0)
    page = client.get(f"/stations/{station.pk}/").content.decode()
    shown = re.search(r'data-testid="open-badge">(.*?)<', page).group(1)
    api = client.get("/api/v1/stations").json()
    return (
        "营业中" if "营业中" in row else "已休息",
        shown,
        next(s["open_now"] for s in api if s["id"] == station.pk),
    )


@pytest.mark.req("STA-2")
@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (dt.datetime(2026, 10, 10, 10, 0), "营业中"),  # make-up working Saturday
        (dt.datetime(2026, 10, 1, 10, 0), "已休息"),  # National Day, a Thursday
        (dt.datetime(2026, 10, 14, 19, 30), "营业中"),  # Wednesday evening, extended hours
        (dt.datetime(2026, 10, 14, 17, 30), "已休息"),  # between the staggered periods
        (dt.datetime(2026, 10, 11, 10, 0), "已休息"),  # an ordinary Sunday
        (dt.datetime(2026, 10, 12, 9, 0), "营业中"),  # Monday at opening time
    ],
)
def test_open_now_follows_hours_and_the_working_day_calendar(
    client, station, calendar, moment, expected
):
    with time_machine.travel(moment.replace(tzinfo=TZ), tick=False):
        listed, shown, api = badge(client, station)

    assert listed == shown == expected
    assert api is (expected == "营业中")


@pytest.mark.req("STA-2")
def test_extended_hours_are_published_on_the_page_and_the_api(client, station):
    page = client.get(f"/stations/{station.pk}/").content.decode()
    api = client.get(f"/api/v1/stations/{station.pk}").json()

    assert "星期三 18:00–20:30（延时错时服务）" in page
    assert {"weekday": 2, "opens": "18:00", "closes": "20:30", "extended": True} in api["hours"]
