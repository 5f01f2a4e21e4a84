"""Issue 17 step 4 in real Chromium at 375 px (INS-2): an enterprise finds an open lab on 资源开放,
rents two hours on the slot grid, the lab's institution sees the booking in its day view and
is told by name what is wrong with a policy whose minimum exceeds its maximum."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 812}


def _as(browser, base: str, username: str):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, base, username)
    return page


@pytest.mark.req("INS-2")
def test_enterprise_rents_a_lab_for_two_hours_and_the_owner_sees_it(
    live_server, page, browser, demo_data
):
    from qihub.bookings.models import Booking, WeeklyHour
    from qihub.opening.models import Laboratory

    lab = Laboratory.objects.get(name="【演示】电磁兼容开放实验室")
    # Open every day, so free slots exist whatever day the test runs.
    WeeklyHour.objects.filter(resource=lab.resource).delete()
    for day in range(7):
        WeeklyHour.objects.create(
            resource=lab.resource, weekday=day, opens=dt.time(8), closes=dt.time(20)
        )
    base = live_server.url

    page.set_viewport_size(PHONE)
    log_in(page, base, "demo_enterprise")
    page.goto(f"{base}/open/")
    expect(page.get_by_test_id("hub-labs")).to_contain_text("¥300.00/小时")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "open-1-hub-375")
    page.get_by_role("link", name="【演示】电磁兼容开放实验室").first.click()
    page.wait_for_url("**/open/labs/*/")
    page.get_by_test_id("book-lab").click()
    page.wait_for_url("**/bookings/resources/*/")
    page.get_by_test_id("slots").select_option("2")
    # A later day's slot: today's first one could start while the test runs.
    slot = page.get_by_test_id("slot-day").last.get_by_test_id("slot").first
    start = slot.get_attribute("data-start")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "open-2-lab-slots-375")
    slot.click()
    page.wait_for_url("**/bookings/YY-*/")
    expect(page.get_by_test_id("booking-status")).to_contain_text("已确认")
    booking = Booking.objects.get(resource=lab.resource)
    assert booking.end - booking.start == dt.timedelta(hours=2)
    assert booking.get_purpose_display() == "使用实验室"

    owner = _as(browser, base, "demo_institution2")
    owner.goto(f"{base}/open/mine/labs/")
    owner.get_by_role("link", name="预约", exact=True).first.click()
    owner.wait_for_url("**/day/")
    owner.goto(owner.url.split("?")[0] + f"?date={start[:10]}")
    expect(owner.get_by_test_id("booking-day")).to_contain_text(booking.number)
    screenshot(owner, "open-3-lab-day-375")
    owner.get_by_test_id("policy-link").click()
    owner.get_by_label("最少连续时段").fill("5")
    owner.get_by_label("最多连续时段").fill("2")
    owner.get_by_test_id("policy-save").click()
    expect(owner.get_by_test_id("policy-errors")).to_contain_text(
        "最少连续时段：不能多于最多连续时段"
    )
    assert owner.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(owner, "open-4-policy-error-375")
    lab.resource.refresh_from_db()
    assert lab.resource.min_slots == 1
    assert not page.csp_violations
