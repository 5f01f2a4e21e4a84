"""Issue 18 part 4 in real Chromium at 375 px (ENT-4, ENT-5): an enterprise finds an open window
in the declaration calendar, checks itself against the conditions, follows the declaration to
已提交; the operator sees it in the overview. Each page fits the phone, is Chinese only and has
no serious axe-core finding."""

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


def _as(browser, base: str, username: str):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions
    log_in(page, base, username)
    return page


@pytest.mark.req("ENT-5")
def test_enterprise_checks_itself_and_follows_a_declaration(browser, live_server, demo_data):
    from qihub.guidance.models import Declaration, DeclarationStatus

    base = live_server.url
    firm = _as(browser, base, "demo_enterprise")
    firm.goto(f"{base}/accounts/workbench/")
    firm.get_by_role("link", name="申报日历").first.click()
    firm.wait_for_url("**/guidance/windows/")
    _fits_and_reads(firm)
    screenshot(firm, "guidance-1-calendar-375")

    firm.get_by_role("link", name="【演示】省级标准化试点示范项目申报").click()
    firm.wait_for_url("**/guidance/windows/*/")
    firm.get_by_label("标准体系基本建立").check()
    firm.get_by_role("button", name="自查").click()
    result = firm.get_by_test_id("check-result")
    assert "还有 1 项条件未满足" in result.inner_text()
    _fits_and_reads(firm)
    screenshot(firm, "guidance-2-self-check-375")

    firm.get_by_role("button", name="开始申报并跟进进度").click()
    firm.wait_for_url("**/guidance/declarations/SB-*/")
    assert "准备材料" in firm.get_by_test_id("declaration-status").inner_text()
    firm.get_by_test_id("submit").click()
    firm.wait_for_load_state()
    assert "已提交" in firm.get_by_test_id("declaration-status").inner_text()
    _fits_and_reads(firm)
    screenshot(firm, "guidance-3-submitted-375")
    declaration = Declaration.objects.get(window__kind="pilot")
    assert declaration.status == DeclarationStatus.SUBMITTED

    firm.goto(f"{base}/guidance/standards/")
    assert "已到复审期" in firm.get_by_test_id("standards").inner_text()
    _fits_and_reads(firm)

    operator = _as(browser, base, "demo_operator")
    operator.goto(f"{base}/guidance/declarations/")
    overview = operator.get_by_test_id("declarations").inner_text()
    assert declaration.number in overview and "已提交" in overview
    _fits_and_reads(operator)
    screenshot(operator, "guidance-4-operator-overview-375")
