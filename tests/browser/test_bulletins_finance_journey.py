"""Issue 21 parts 7 and 9 in real Chromium at 375 px (CAT-7, OPS-5): a visitor finds a policy
by a compound query from the footer; the enterprise applies for a quality loan and the operator
refers it. Each page fits the phone, is Chinese only and has no serious axe-core finding."""

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


@pytest.mark.req("CAT-7")
@pytest.mark.req("OPS-5")
def test_policy_search_and_a_finance_referral(browser, live_server, demo_data):
    base = live_server.url
    visitor = _context(browser)
    visitor.goto(f"{base}/")
    visitor.get_by_test_id("footer-info").get_by_role("link", name="政策法规").click()
    visitor.wait_for_url("**/bulletins/policies/")
    search = visitor.get_by_test_id("policy-search")
    search.get_by_label("关键词").fill("电梯安全意见")
    search.get_by_role("button", name="检索").click()
    rows = visitor.get_by_test_id("policies")
    assert "关于加强电梯质量安全工作的意见" in rows.inner_text()
    assert "计量法" not in rows.inner_text()
    _fits_and_reads(visitor)
    screenshot(visitor, "bulletins-1-policy-search-375")

    firm = _context(browser)
    log_in(firm, base, "demo_enterprise")
    firm.goto(f"{base}/finance/")
    firm.get_by_role("link", name="知识产权质押贷").click()
    firm.wait_for_url("**/finance/products/*/")
    firm.get_by_label("资金用途或保障需求").fill("研发投入")
    firm.get_by_label("联系人").fill("张经理")
    firm.get_by_label("联系电话").fill("0510-81234567")
    firm.get_by_role("button", name="提交对接申请").click()
    firm.wait_for_url("**/finance/referrals/JR-*/")
    assert "已受理" in firm.get_by_test_id("referral-status").inner_text()
    number = firm.url.rstrip("/").rsplit("/", 1)[-1]
    _fits_and_reads(firm)
    screenshot(firm, "finance-1-referral-375")

    staff = _context(browser)
    log_in(staff, base, "demo_operator")
    staff.goto(f"{base}/finance/referrals/{number}/")
    staff.get_by_label("转介说明（对接人或对接方式）").fill("已推送科技支行李经理")
    staff.get_by_role("button", name="转介金融机构").click()
    staff.wait_for_url(f"**/finance/referrals/{number}/")
    assert "已转介" in staff.get_by_test_id("referral-status").inner_text()
    _fits_and_reads(staff)
