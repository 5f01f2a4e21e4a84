"""Custom packages in real Chromium (DEM-12): the demo enterprise opens the plan its coordinator
proposed, sees one test serving two recognitions and the saving, confirms the plan through the
confirm dialog, and each test becomes an order; the page fits a 375 px phone."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.req("DEM-12")
def test_the_enterprise_confirms_a_plan_in_which_one_test_serves_two_recognitions(
    live_server, page, demo_data
):
    from qihub.packages.models import Package

    package = Package.objects.get(client__username="demo_enterprise")
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, base, "demo_enterprise")
    page.goto(f"{base}/packages/")
    page.get_by_role("link", name=package.number).click()
    expect(page.get_by_test_id("package-status")).to_have_text("方案待企业确认")
    expect(page.get_by_test_id("separate-price")).to_have_text("9500.00 元")
    expect(page.get_by_test_id("package-price")).to_have_text("6500.00 元")
    expect(page.get_by_test_id("saving-amount")).to_have_text("3000.00 元（31.6%）")
    expect(page.get_by_test_id("line-recognitions").first).to_contain_text(
        "强制性产品认证（CCC）、出口欧盟（CE）"
    )
    page.get_by_test_id("accept").get_by_role("button", name="确认方案").click()
    expect(page.get_by_test_id("package-status")).to_have_text("服务中")
    expect(page.get_by_test_id("order-status")).to_have_count(3)
    expect(page.get_by_test_id("order-status").first).to_have_text("已下单，待机构确认")

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    expect(page.get_by_test_id("package-status")).to_have_text("服务中")
    wide = page.evaluate("() => document.documentElement.scrollWidth")
    assert wide <= 375
    screenshot(page, "package-375")
