"""Issue 15's home page in real Chromium: an operator publishes a notice through the page, and
a visitor sees it on the home page at 1280 px and on a 375 px phone, with nothing wider than
the screen."""

import pytest

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.req("OPS-4")
def test_a_published_notice_shows_on_the_home_page_at_both_widths(live_server, page, demo_data):
    from qihub.catalog.models import ServiceItem

    # Browser tests run on a flushed database after others, so the seeded catalogue may be gone.
    ServiceItem.objects.get_or_create(
        code="pressure-gauge-verification",
        defaults={"category": "metrology", "name": "压力表检定", "summary": "一般压力表检定"},
    )
    popular = min(ServiceItem.objects.count(), 6)
    log_in(page, live_server.url, "demo_operator")
    page.goto(live_server.url + "/ops/notices/")
    page.fill("#id_title", "关于春节期间窗口服务安排的通知")
    page.fill("#id_body", "2月10日至2月17日窗口暂停受理，线上申请照常提交。")
    page.check("#id_pinned")
    page.once("dialog", lambda dialog: dialog.accept())  # the data-confirm question
    page.get_by_test_id("notice-form").get_by_role("button", name="发布").click()
    page.get_by_text("首页已显示").wait_for()

    page.context.clear_cookies()
    for width, height in ((1280, 900), (375, 740)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(live_server.url + "/")
        notices = page.get_by_test_id("home-notices")
        assert "关于春节期间窗口服务安排的通知" in notices.inner_text()
        assert page.get_by_test_id("login-panel").is_visible()
        assert page.get_by_test_id("popular-service").count() == popular
        assert page.locator("[data-category]").count() == 10
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"the home page is {scroll}px wide on a {width}px screen"
        screenshot(page, f"home-portal-{width}px")

    notices.get_by_role("link", name="关于春节期间窗口服务安排的通知").click()
    page.get_by_test_id("notice").wait_for()
    assert "线上申请照常提交" in page.get_by_test_id("notice").inner_text()
    assert "通知公告" in page.get_by_test_id("breadcrumbs").inner_text()
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 375, f"the notice page is {scroll}px wide on a 375px screen"
    assert page.csp_violations == []
