"""Monitoring in real Chromium (OPS-1): a visitor meets a server error and reads its number; the
operator opens the health page, sees the charts and looks the number up."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import image_loaded, log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.req("OPS-1")
def test_operator_sees_the_charts_and_looks_up_an_error_number(
    live_server, page, demo_data, monkeypatch
):
    from qihub.core import regions

    def broken(code: str) -> list:
        raise RuntimeError("region table unreadable")

    # The live server runs in this process: the region picker's endpoint now fails for real.
    monkeypatch.setattr(regions, "children", broken)
    response = page.goto(live_server.url + "/regions/children/?code=32")
    assert response is not None and response.status == 500
    number = page.get_by_test_id("error-number").inner_text()
    assert len(number) == 13 and number[8] == "-"
    monkeypatch.undo()

    log_in(page, live_server.url, "demo_operator")
    page.goto(live_server.url + "/accounts/workbench/")
    page.get_by_role("link", name="系统运行监控").first.click()
    expect(page.get_by_test_id("health-overall")).to_be_visible()
    expect(page.get_by_test_id("figure-errors")).to_contain_text("1 个")
    for chart in ("chart-errors", "chart-overdue"):
        image = page.get_by_test_id(chart)
        expect(image).to_be_visible()
        assert image_loaded(image), f"{chart} did not load"
    svg = page.request.get(live_server.url + "/ops/health/charts/errors.svg")
    assert svg.ok and svg.headers["content-type"] == "image/svg+xml"
    screenshot(page, "ops-health")

    page.get_by_test_id("errors-link").click()
    expect(page.get_by_test_id("error-link")).to_have_text(number)
    page.get_by_test_id("error-number-input").fill(number)
    page.get_by_role("button", name="查询").click()
    found = page.get_by_test_id("error-found")
    expect(found).to_contain_text(f"错误编号 {number}")
    expect(found).to_contain_text("未登录访客")
    page.get_by_text("技术详情").click()
    expect(page.get_by_test_id("error-path")).to_have_text("/regions/children/?code=32")
    expect(page.get_by_test_id("error-exception")).to_contain_text("region table unreadable")
    screenshot(page, "ops-error-lookup")

    page.set_viewport_size({"width": 375, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.csp_violations == []
