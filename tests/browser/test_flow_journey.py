"""Issue 19's guided flows in real Chromium on a 375 px phone: the demo enterprise starts the
basic service flow (附录 A) from the drug business licence guide, is told which document the
first step expects, uploads it and sees the team's step begin with its deadline."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _fits(page, width: int = 375) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide on a {width}px screen"


@pytest.mark.req("BIO-2")
def test_the_enterprise_starts_a_flow_from_a_guide_and_ticks_its_first_step(
    live_server, page, demo_data
):
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, live_server.url, "demo_enterprise")
    page.goto(live_server.url + "/services/drug-business-licence/")
    expect(page.get_by_test_id("external")).to_contain_text("江苏政务服务网")
    page.get_by_test_id("guided-flow").click()
    expect(page.get_by_test_id("flow-steps")).to_contain_text("按方案准备材料，在省级系统提交申请")
    expect(page.locator("#id_subject")).to_have_value("药品经营许可（核发、换发、变更）")
    _fits(page)
    page.get_by_test_id("start-run").click()
    expect(page.get_by_text("已发起办理流程，请按步骤办理")).to_be_visible()
    steps = page.get_by_test_id("run-step")
    expect(steps.first).to_contain_text("需提交：服务需求说明")

    page.get_by_test_id("tick").click()  # without the document: refused, nothing moves
    expect(page.get_by_text("上传文件：本步骤需上传服务需求说明")).to_be_visible()
    page.set_input_files(
        "#id_document", {"name": "需求说明.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.fill("#id_note", "换发，许可证明年到期")
    page.get_by_test_id("tick").click()
    expect(page.get_by_text("已完成该步骤")).to_be_visible()
    expect(steps.first).to_contain_text("需求说明（PDF）")
    expect(steps.nth(1)).to_contain_text("等待服务团队办理")
    expect(steps.nth(1).get_by_test_id("step-due")).to_contain_text("截止")
    _fits(page)
    screenshot(page, "flow-run-375px")
    assert page.csp_violations == []
