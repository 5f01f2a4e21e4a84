"""Issue 14 journey in real Chromium: an enterprise narrows the search to 无锡市 by name in the
region picker, types 电能表检定 (no space) into the top navigation's box, sees the line
highlighted, opens the institution and orders its service; the search page fits a 375 px phone."""

import pytest

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser

METER = ("metrology", "电能表", "基本误差", "JJG 596-2012")


@pytest.mark.req("MATCH-1", "MATCH-2")
def test_enterprise_searches_from_the_top_box_within_a_region_and_orders(
    live_server, page, demo_data
):
    from qihub.core import testing

    lab = testing.institution("滨湖电能表检定站（测试）", scope=(METER,), region="320211")
    testing.institution("南京电能表检定站（测试）", scope=(METER,), region="320102")
    base = live_server.url
    log_in(page, base, "demo_enterprise")

    page.goto(base + "/search/")
    page.select_option("#region", label="江苏省")
    # A locator wait, not wait_for_function: the page's CSP forbids the eval that polling needs.
    page.locator("#region_city option", has_text="无锡市").wait_for(state="attached")
    page.select_option("#region_city", label="无锡市")
    page.get_by_role("button", name="搜索", exact=True).click()
    page.wait_for_url("**region=320200*")

    page.fill("#nav-q", "电能表检定")
    page.get_by_role("button", name="查找").click()
    page.wait_for_url("**q=*")
    results = page.get_by_test_id("results")
    assert "滨湖电能表检定站（测试）" in results.inner_text()
    assert "南京电能表检定站（测试）" not in results.inner_text()  # the region still holds
    assert results.locator("mark", has_text="电能表").count() >= 1
    assert "有效期至 2030-06-30" in results.inner_text()
    screenshot(page, "search-top-box-region")

    page.get_by_role("link", name="滨湖电能表检定站（测试）").first.click()
    page.wait_for_url(f"**/institutions/{lab.uscc}/")
    page.get_by_test_id("services").get_by_role("link", name="下单").click()
    page.wait_for_url("**/orders/new/*/")
    assert "¥200.00" in page.get_by_test_id("price").inner_text()
    page.fill("#id_description", "2 台单相电能表")
    page.fill("#id_quantity", "2")
    page.get_by_role("button", name="提交订单").click()
    page.wait_for_url("**/orders/DD-*/")
    assert "¥400.00" in page.get_by_test_id("order-price").inner_text()
    assert "滨湖电能表检定站（测试）" in page.locator("main").inner_text()
    assert page.csp_violations == []


@pytest.mark.req("MATCH-1")
def test_the_search_page_fits_a_375_px_phone(live_server, browser, demo_data):
    from qihub.core import testing

    testing.institution("滨湖电能表检定站（测试）", scope=(METER,), region="320211")
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 375, "height": 800}
    )
    page = context.new_page()
    try:
        for query in (
            "?q=电能表检定&region=320000&region=320200",
            "?q=jiliang",
            "?q=质量门诊&tab=guides",
        ):
            page.goto(live_server.url + "/search/" + query)
            width = page.evaluate("document.scrollingElement.scrollWidth")
            assert width <= 375 + 1, (query, width)
        # The top box is in the collapsed menu: open it and search from there.
        page.goto(live_server.url + "/")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 375 + 1
        assert not page.locator("#nav-q").is_visible()
        page.get_by_role("button", name="展开导航").click()
        page.fill("#nav-q", "电能表")
        page.get_by_role("button", name="查找").click()
        page.wait_for_url("**q=%E7%94%B5%E8%83%BD%E8%A1%A8*")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 375 + 1
        assert "滨湖电能表检定站（测试）" in page.get_by_test_id("results").inner_text()
        screenshot(page, "search-375px")
    finally:
        context.close()
