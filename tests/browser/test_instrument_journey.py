"""Issue 17, INS-1, in real Chromium at 375 px: an enterprise finds an instrument with the
Chinese search and books it; the institution adjusts the time and approves, checks the client
in, records the use and closes the booking; the fee slip is shown to both. Plus the no-show
rule: after 3 no-shows the enterprise's next booking needs approval, and the form says why."""

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


def _open_every_day(name: str):
    """The demo instrument, open 8–20 every day so free slots exist whatever day the test runs."""
    from qihub.bookings.models import WeeklyHour
    from qihub.instruments.models import Instrument

    instrument = Instrument.objects.get(name=name)
    WeeklyHour.objects.filter(resource=instrument.resource).delete()
    for day in range(7):
        WeeklyHour.objects.create(
            resource=instrument.resource, weekday=day, opens=dt.time(8), closes=dt.time(20)
        )
    return instrument


def _day_after_tomorrow() -> str:
    from django.utils import timezone

    return (timezone.localdate() + dt.timedelta(days=2)).isoformat()


@pytest.mark.req("INS-1")
def test_enterprise_books_instrument_institution_adjusts_and_fee_slip_follows(
    live_server, page, browser, demo_data
):
    from qihub.bookings.models import Booking, BookingStatus
    from qihub.instruments.models import FeeSlip

    instrument = _open_every_day("电感耦合等离子体发射光谱仪")
    base = live_server.url
    page.set_viewport_size(PHONE)
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, base, "demo_enterprise")
    page.goto(f"{base}/instruments/")
    page.get_by_label("仪器或检测项目").fill("重金属检测")
    page.get_by_role("button", name="筛选").click()
    page.get_by_role("link", name=instrument.name).click()
    page.wait_for_url(f"**/instruments/{instrument.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # No permit: only 送样检测 is offered, and the page says why.
    assert page.get_by_label("自主上机").count() == 0
    assert "自主上机须先经该仪器的培训" in page.get_by_test_id("purpose-note").inner_text()
    page.get_by_label("送样检测").check()
    screenshot(page, "instrument-1-page-375")
    day = _day_after_tomorrow()
    page.locator(f'[data-testid="slot"][data-start^="{day}"]').first.click()
    page.wait_for_url("**/bookings/YY-*/")
    assert "待确认" in page.get_by_test_id("booking-status").inner_text()
    booking = Booking.objects.get()
    first_start = booking.start

    owner = _as(browser, base, "demo_institution")
    owner.goto(f"{base}/bookings/{booking.number}/")
    options = owner.locator("#adjust-start option")
    later = options.nth(3).get_attribute("value")
    owner.select_option("#adjust-start", later)
    screenshot(owner, "instrument-2-adjust-375")
    owner.get_by_test_id("adjust").click()
    owner.wait_for_url(f"**/bookings/{booking.number}/")
    assert "已确认" in owner.get_by_test_id("booking-status").inner_text()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and booking.start != first_start

    owner.get_by_test_id("check-in").click()
    owner.wait_for_url(f"**/bookings/{booking.number}/")
    assert "已签到" in owner.get_by_test_id("booking-status").inner_text()
    owner.get_by_test_id("use-start").click()
    owner.get_by_test_id("use-stop").click()
    owner.get_by_label("样品数量").fill("2")
    owner.get_by_test_id("finish").click()
    owner.wait_for_url(f"**/bookings/{booking.number}/")
    assert "已完成" in owner.get_by_test_id("booking-status").inner_text()
    owner.get_by_test_id("fee-slip-link").click()
    assert "400.00 元" in owner.get_by_test_id("fee-amount").inner_text()
    screenshot(owner, "instrument-3-fee-slip-375")

    slip = FeeSlip.objects.get()
    page.goto(f"{base}/bookings/{booking.number}/")
    page.get_by_test_id("fee-slip-link").click()
    assert slip.number in page.get_by_test_id("fee-number").inner_text()
    assert "预约时间已调整并确认" in _inbox(page, base)
    assert not page.csp_violations


def _inbox(page, base: str) -> str:
    page.goto(f"{base}/inbox/")
    return page.locator("main").inner_text()


@pytest.mark.req("INS-1")
def test_three_no_shows_turn_the_next_booking_into_a_request(live_server, page, browser, demo_data):
    from django.utils import timezone

    from qihub.accounts.models import User
    from qihub.bookings.models import Booking, BookingStatus

    icp = _open_every_day("电感耦合等离子体发射光谱仪")
    tester = _open_every_day("万能材料试验机")  # books without approval
    enterprise = User.objects.get(username="demo_enterprise")
    past = timezone.now() - dt.timedelta(days=3)
    numbers = []
    for n in range(3):
        missed = Booking.objects.create(
            number=f"YY-NS{n}",
            resource=icp.resource,
            user=enterprise,
            start=past + dt.timedelta(hours=n),
            end=past + dt.timedelta(hours=n + 1),
            purpose="test",
            status=BookingStatus.CONFIRMED,
        )
        numbers.append(missed.number)
    base = live_server.url
    owner = _as(browser, base, "demo_institution")
    for number in numbers:
        owner.goto(f"{base}/bookings/{number}/")
        owner.get_by_test_id("no-show").click()
        owner.wait_for_url(f"**/bookings/{number}/")
        assert "未到" in owner.get_by_test_id("booking-status").inner_text()
    assert owner.get_by_test_id("lift").count() == 1

    page.set_viewport_size(PHONE)
    log_in(page, base, "demo_enterprise")
    page.goto(f"{base}/instruments/{tester.pk}/")
    assert "3 次预约未到" in page.get_by_test_id("blocked-note").inner_text()
    screenshot(page, "instrument-4-blocked-375")
    page.get_by_label("送样检测").check()
    page.locator(f'[data-testid="slot"][data-start^="{_day_after_tomorrow()}"]').first.click()
    page.wait_for_url("**/bookings/YY-*/")
    assert "待确认" in page.get_by_test_id("booking-status").inner_text()
    assert not page.csp_violations
