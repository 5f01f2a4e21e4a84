"""Issue 17 step 1 in real Chromium at 375 px (ORD-3): an enterprise books a consultation slot
from the station's page, the station's staff see it in the day view and check the client in."""

import datetime as dt

import pytest

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 812}


def _as(browser, base: str, username: str):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions
    log_in(page, base, username)
    return page


@pytest.mark.req("ORD-3")
def test_enterprise_books_a_station_slot_and_staff_check_in(live_server, page, browser, demo_data):
    from qihub.accounts.models import User
    from qihub.bookings.models import Booking, BookingStatus
    from qihub.stations.models import Period

    station = User.objects.get(username="demo_station").station
    Period.objects.filter(station=station).delete()
    for day in range(7):  # open every day, so a free slot exists whatever day the test runs
        Period.objects.create(station=station, weekday=day, opens=dt.time(8), closes=dt.time(20))
    base = live_server.url

    page.set_viewport_size(PHONE)
    log_in(page, base, "demo_enterprise")
    page.goto(f"{base}/stations/{station.pk}/")
    page.get_by_test_id("book-link").click()
    page.wait_for_url("**/bookings/resources/*/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_label("咨询").check()
    screenshot(page, "booking-1-slots-375")
    first = page.get_by_test_id("slot").first
    start = first.get_attribute("data-start")
    first.click()
    page.wait_for_url("**/bookings/YY-*/")
    assert "已确认" in page.get_by_test_id("booking-status").inner_text()
    screenshot(page, "booking-2-booked-375")
    booking = Booking.objects.get()
    assert booking.user.username == "demo_enterprise"

    staff = _as(browser, base, "demo_station")
    staff.goto(f"{base}/bookings/today/")
    staff.goto(staff.url.split("?")[0] + f"?date={start[:10]}")
    assert booking.number in staff.get_by_test_id("booking-day").inner_text()
    screenshot(staff, "booking-3-day-view-375")
    staff.get_by_role("link", name=booking.number).click()
    staff.get_by_test_id("check-in").click()
    staff.wait_for_url(f"**/bookings/{booking.number}/")
    assert "已签到" in staff.get_by_test_id("booking-status").inner_text()
    screenshot(staff, "booking-4-checked-in-375")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN
    assert not page.csp_violations
