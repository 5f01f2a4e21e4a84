"""Issue 18 part 3 in real Chromium at 375 px (ENT-3): an operator loads the portal's export and
sees the progress bar, the row report and what changed; the enterprise watching a changed
standard sees it on its workbench and watch page, then checks its list of standards and takes
the report away as Excel."""

import pytest
from huey.contrib.djhuey import HUEY

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 812}
EXPORT = (
    "标准号,标准名称,标准状态,实施日期,被代替标准\n"
    "GB 18580-2017,室内装饰装修材料 人造板及其制品中甲醛释放限量,被代替,2018-05-01,GB 18580-2026\n"
    "GB 18580-2026,室内装饰装修材料 人造板及其制品中甲醛释放限量,现行,2026-10-01,\n"
    "GB/T 1-1,坏日期,现行,2026-02-30,\n"
).encode()


@pytest.fixture
def run_tasks_now():
    # The live server has no queue consumer: the load runs as soon as it is queued.
    HUEY.immediate = True
    yield
    HUEY.immediate = False


@pytest.mark.req("ENT-3")
def test_operator_loads_standards_and_the_watching_enterprise_checks_its_list(
    live_server, page, browser, demo_data, run_tasks_now
):
    base = live_server.url
    page.set_viewport_size(PHONE)
    log_in(page, base, "demo_operator")
    page.goto(f"{base}/ops/standards/load/")
    page.set_input_files(
        "#id_upload", files=[{"name": "标准.csv", "mimeType": "text/csv", "buffer": EXPORT}]
    )
    page.get_by_role("button", name="开始导入").click()
    page.wait_for_url("**/ops/standards/load/*/")
    progress = page.get_by_test_id("load-progress")
    assert progress.get_attribute("data-state") == "已完成"
    assert page.locator("progress").get_attribute("value") == "100"
    assert "第 4 行“实施日期”" in page.get_by_test_id("load-errors").inner_text()
    changes = page.get_by_test_id("load-changes").inner_text()
    assert "被 GB 18580-2026 代替" in changes and "新增" in changes
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "standards-1-load-375")

    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE)
    member = context.new_page()
    member.set_default_timeout(15_000)
    log_in(member, base, "demo_enterprise")
    member.goto(f"{base}/accounts/workbench/")
    member.get_by_role("link", name="标准查询与跟踪").first.click()
    member.wait_for_url("**/standards/watches/")
    assert "有 2 项标准状态发生变化" in member.get_by_test_id("unread").inner_text()
    row = member.locator('[data-testid="watches"] tr[data-number="GB 18580-2017"]')
    assert "被 GB 18580-2026 代替" in row.inner_text()
    assert member.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(member, "standards-2-watches-375")

    member.goto(f"{base}/standards/check/")
    member.fill("#id_lines", "GB/T 19001-2008\ngbt19001—2016\n\nGB 18580-2017\n质量手册")
    member.get_by_role("button", name="开始核查").click()
    report = member.get_by_test_id("check-report")
    assert report.locator('tr[data-line="1"]').get_attribute("data-result") == "已被代替"
    assert report.locator('tr[data-line="2"]').get_attribute("data-result") == "现行有效"
    assert report.locator('tr[data-line="4"]').get_attribute("data-result") == "已被代替"
    assert report.locator('tr[data-line="5"]').get_attribute("data-result") == "不是标准号"
    assert member.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(member, "standards-3-check-375")
    with member.expect_download() as download:
        member.get_by_role("button", name="下载 Excel 报告").click()
    assert download.value.suggested_filename == "标准有效性核查报告.xlsx"
    assert not page.csp_violations and not getattr(member, "csp_violations", [])
    context.close()
