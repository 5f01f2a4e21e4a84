"""Issue 22 part 5 in real Chromium at 375 px (OPS-1): the enterprise opens 技术支持 from the
footer of the page that troubles it and asks; the operator finds the request on the due list,
looks at the enterprise's workbench read-only, and answers; the enterprise reads the reply in
its inbox and on the request. Each page fits the phone, is Chinese only and passes axe-core."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import log_in, screenshot
from tests.browser.test_crawl import latin_words

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 812}
AXE = Axe()


def _fits_and_reads(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    assert not latin_words(page.locator("body").inner_text())
    serious = [
        v["id"]
        for v in AXE.run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert not serious, serious


def _context(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions
    return page


@pytest.mark.req("OPS-1")
def test_support_request_from_a_page_answered_into_the_inbox(browser, live_server, demo_data):
    from qihub.support.models import SupportRequest

    base = live_server.url
    firm = _context(browser)
    log_in(firm, base, "demo_enterprise")
    firm.goto(f"{base}/orders/")
    firm.get_by_test_id("footer-support").click()
    firm.wait_for_url("**/support/new/**")
    assert "企业用户" in firm.get_by_test_id("support-role").inner_text()
    assert "已自动记录" in firm.get_by_test_id("support-page").inner_text()
    _fits_and_reads(firm)
    screenshot(firm, "support-1-form-375")
    firm.get_by_label("问题描述").fill("订单列表里找不到昨天下的订单")
    firm.get_by_role("button", name="提交").click()
    firm.wait_for_url("**/support/JS-*/")
    assert "待答复" in firm.get_by_test_id("support-status").inner_text()
    number = firm.url.rstrip("/").rsplit("/", 1)[-1]
    assert SupportRequest.objects.get(number=number).page == "/orders/"

    staff = _context(browser)
    log_in(staff, base, "demo_operator")
    staff.goto(f"{base}/support/")
    staff.get_by_test_id("support-requests").get_by_role("link", name=number).click()
    staff.wait_for_url(f"**/support/{number}/")
    staff.get_by_test_id("view-as-link").click()
    staff.wait_for_url(f"**/support/{number}/as-user/")
    assert "我的技术支持" in staff.get_by_test_id("view-as-cards").inner_text()
    _fits_and_reads(staff)
    staff.get_by_role("link", name="返回工单").click()
    staff.wait_for_url(f"**/support/{number}/")
    staff.get_by_label("答复内容").fill("订单在“已完成”筛选下，请切换筛选查看")
    staff.get_by_role("button", name="答复", exact=True).click()
    staff.wait_for_url(f"**/support/{number}/")
    assert "已答复" in staff.get_by_test_id("support-status").inner_text()
    _fits_and_reads(staff)
    screenshot(staff, "support-2-answered-375")

    firm.goto(f"{base}/inbox/")
    assert number in firm.locator("main").inner_text()
    firm.goto(f"{base}/support/{number}/")
    assert "请切换筛选查看" in firm.get_by_test_id("support-reply").inner_text()
    _fits_and_reads(firm)
    screenshot(firm, "support-3-reply-375")
