"""DEM journey in real Chromium: an enterprise publishes a demand, the operator sees its clocks
and sends the shortlist, the enterprise reads the recommendation with its reasons."""

import pytest

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.req("DEM-1", "DEM-3", "DEM-4", "DEM-5")
def test_publish_a_demand_operator_sends_the_shortlist_enterprise_reads_it(
    live_server, page, demo_data
):
    base = live_server.url
    log_in(page, base, "demo_enterprise2")
    page.goto(base + "/demands/new/")
    page.select_option("#id_category", "metrology")
    page.fill("#id_title", "实验室电子天平校准")
    page.fill("#id_description", "质检实验室 3 台电子天平需要做称量误差、重复性校准")
    page.fill("#id_product", "电子天平")
    page.fill("#id_region", "320214")
    page.get_by_role("button", name="发布需求").click()
    page.wait_for_url("**/demands/XQ-*/")
    number = page.url.rstrip("/").rsplit("/", 1)[1]
    assert (
        "剩余" in page.get_by_test_id("clocks").inner_text()
        or "今日到期" in page.get_by_test_id("clocks").inner_text()
    )
    screenshot(page, "demand-published")

    page.context.clear_cookies()
    log_in(page, base, "demo_operator")
    page.goto(base + "/ops/demands/")
    row = page.locator(f"tr[data-number='{number}']")
    assert "需求响应" in row.inner_text()
    row.get_by_role("link", name=number).click()
    assert "江南计量检测研究院（演示）" in page.get_by_test_id("shortlist").inner_text()
    assert "电子天平" in page.get_by_test_id("shortlist").inner_text()
    screenshot(page, "demand-operator-shortlist")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="发送推荐").click()
    page.wait_for_selector("[data-status='recommended']")

    page.context.clear_cookies()
    log_in(page, base, "demo_enterprise2")
    page.goto(f"{base}/demands/{number}/")
    recommended = page.get_by_test_id("recommended").first.inner_text()
    assert "江南计量检测研究院（演示）" in recommended and "能力范围：电子天平" in recommended
    assert "已推荐" in page.get_by_test_id("demand-status").inner_text()
    screenshot(page, "demand-recommendation-for-enterprise")
