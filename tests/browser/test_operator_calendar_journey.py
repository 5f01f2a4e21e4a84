"""An operator confirms next year's calendar in real Chromium: dashboard → year grid → import."""

import pytest

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def test_operator_imports_and_confirms_next_years_calendar(live_server, page, demo_data, tmp_path):
    schedule = tmp_path / "2027.csv"
    schedule.write_text("日期,类型,名称\n2027-01-01,休息,元旦\n2027-02-06,上班,春节调休\n")
    log_in(page, live_server.url, "demo_operator")

    page.get_by_test_id("role-nav").get_by_role("link", name="时限监控").click()
    page.get_by_role("link", name="2027 年", exact=True).click()
    assert "暂定" in page.get_by_test_id("calendar-status").inner_text()
    page.set_input_files("input[name=file]", str(schedule))
    page.check("input[name=official]")
    page.fill("input[name=source_document]", "国办发明电〔2026〕演示")
    page.check("input[name=confirm]")
    page.get_by_role("button", name="导入").click()

    page.wait_for_url("**/ops/calendar/2027/")
    assert "已导入 2027 年 2 条" in page.locator(".alert-success").inner_text()
    assert "正式" in page.get_by_test_id("calendar-status").inner_text()
    assert page.locator('td[data-date="2027-01-01"]').get_attribute("class") == "cal-holiday"
    assert page.locator('td[data-date="2027-02-06"]').get_attribute("class") == "cal-makeup"
    screenshot(page, "ops-calendar-2027")

    page.set_viewport_size({"width": 375, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.csp_violations == []


def test_a_bad_calendar_file_is_explained_row_by_row(live_server, page, demo_data, tmp_path):
    schedule = tmp_path / "2027.csv"
    schedule.write_text("date,type,name\n2027-01-01,off,元旦\n2027-02-30,off,x\n")
    log_in(page, live_server.url, "demo_operator")

    page.goto(live_server.url + "/ops/calendar/2027/")
    page.set_input_files("input[name=file]", str(schedule))
    page.check("input[name=confirm]")
    page.get_by_role("button", name="导入").click()

    errors = page.get_by_test_id("import-errors").inner_text()
    assert "第 3 行" in errors and "未导入任何数据" in errors
    screenshot(page, "ops-calendar-import-errors")
