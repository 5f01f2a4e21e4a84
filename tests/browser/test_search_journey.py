"""MATCH journey in real Chromium: search 计量 from the home page, filter, open a profile."""

import pytest

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.mark.req("MATCH-1", "MATCH-2")
def test_search_from_home_filter_by_category_and_region_and_open_a_profile(
    live_server, page, demo_data
):
    page.goto(live_server.url + "/")
    page.fill("#q", "计量")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url("**/search/?q=*")
    results = page.get_by_test_id("results")
    assert "江南计量检测研究院（演示）" in results.inner_text()

    page.select_option("#category", "metrology")
    page.select_option("#region", "320000")
    page.select_option("#region_city", "320200")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url("**region=320200*")
    assert "江南计量检测研究院（演示）" in page.get_by_test_id("results").inner_text()
    screenshot(page, "search-metrology-3202")

    page.select_option("#region_city", "320100")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url("**region=320100*")
    # Nobody in 南京: the search widens to the province and says so (ADR 0011).
    assert (
        "南京市暂无符合条件的机构，已扩大到江苏省"
        in page.get_by_test_id("search-note").inner_text()
    )

    page.select_option("#region_city", "")
    page.fill("#q", "压力表")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url("**region=320000&region=&*")
    assert "压力表" in page.get_by_test_id("matched-scope").first.inner_text()
    page.get_by_role("link", name="江南计量检测研究院（演示）").click()
    page.wait_for_url("**/institutions/*/")
    assert "JJG 52-2013" in page.get_by_test_id("scope").inner_text()
    assert "有效期至" in page.get_by_test_id("qualifications").inner_text()
    screenshot(page, "institution-profile")
    assert page.csp_violations == []
