"""Issue 15 in real Chromium: an enterprise names the institution it complains about by typing
its pinyin initials and choosing it from the suggestions; the complaint shows the name back."""

import pytest

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def complaint_types(demo_data):
    """Set-up: the complaint types a data migration seeds are gone after an earlier browser
    test's flush (transactional tests empty every table), so they are put back here."""
    from qihub.complaints.models import ComplaintType

    ComplaintType.objects.get_or_create(name="服务态度")


@pytest.mark.req("CMP-1")
def test_a_complaint_target_is_picked_by_pinyin_initials(live_server, page, complaint_types):
    base = live_server.url
    log_in(page, base, "demo_enterprise")
    page.goto(f"{base}/complaints/new/")
    page.select_option("#id_target", label="技术机构")
    page.locator("#id_against").press_sequentially("bhzl", delay=50)
    suggestion = page.get_by_role("option", name="滨湖质量认证中心（演示）")
    suggestion.wait_for()
    assert "江苏省无锡市滨湖区" in suggestion.inner_text()
    screenshot(page, "org-picker-suggestions")
    suggestion.click()
    assert page.input_value("#id_against") == "滨湖质量认证中心（演示）"
    assert page.locator("#id_against_suggestions").is_hidden()

    page.select_option("#id_type", label="服务态度")
    page.fill("#id_content", "电话咨询认证流程时无人接听")
    page.fill("#id_request", "说明原因并改进")
    page.get_by_role("button", name="提交投诉").click()
    page.wait_for_url("**/complaints/TS-*/")
    shown = page.locator("main").inner_text()
    assert "滨湖质量认证中心（演示）" in shown and "12320211MB1QHD004" not in shown
    assert page.csp_violations == []
