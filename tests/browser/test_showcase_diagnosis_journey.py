"""Issue 18's showcase and diagnosis in real Chromium on a 375 px phone: an enterprise agrees to
the entry the operator proposed, from its workbench card, and a visitor finds it among the
showcase's cards; the enterprise answers the diagnosis problem found at its workshop."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def _fits(page, width: int = 375) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide on a {width}px screen"


@pytest.mark.req("ENT-6")
def test_the_enterprise_consents_and_a_visitor_sees_the_entry_on_a_phone(
    live_server, page, demo_data
):
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, live_server.url, "demo_enterprise2")
    page.goto(live_server.url + "/accounts/workbench/")
    card = page.get_by_test_id("workbench-card").filter(has_text="企业风采展示同意")
    expect(card.get_by_test_id("todo-waiting")).to_contain_text("待确认 1")
    card.click()
    page.get_by_role("link", name="【演示】太湖生物医药：一次性使用输液器").click()
    expect(page.get_by_test_id("entry-status")).to_have_text("待企业同意")
    page.once("dialog", lambda dialog: dialog.accept())  # the data-confirm question
    page.get_by_test_id("consent").click()
    expect(page.get_by_text("已同意，风采已在“企业风采”中公开展示")).to_be_visible()
    _fits(page)

    page.context.clear_cookies()
    page.goto(live_server.url + "/showcase/?kind=product")
    table = page.get_by_test_id("showcase")
    expect(table).to_contain_text("【演示】太湖生物医药：一次性使用输液器")
    expect(table).not_to_contain_text("江南精密机械")  # an 优秀企业 entry, filtered out
    _fits(page)
    screenshot(page, "showcase-375px")
    table.get_by_role("link", name="【演示】太湖生物医药：一次性使用输液器").click()
    expect(page.get_by_test_id("showcase-entry")).to_contain_text("江苏精品")
    _fits(page)
    assert page.csp_violations == []


@pytest.mark.req("ENT-7")
def test_the_enterprise_answers_a_diagnosis_problem_on_a_phone(live_server, page, demo_data):
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, live_server.url, "demo_enterprise")
    page.goto(live_server.url + "/accounts/workbench/")
    card = page.get_by_test_id("workbench-card").filter(has_text="质量诊断与问题整改")
    expect(card.get_by_test_id("todo-waiting")).to_contain_text("1")
    card.click()
    _fits(page)
    page.locator("[data-visit] a").first.click()
    page.get_by_role("link", name="待检品与合格品混放").click()
    page.fill("#id_text", "已划分待检区、合格区并挂牌")
    page.get_by_test_id("answer-form").get_by_role("button", name="提交答复").click()
    expect(page.get_by_test_id("problem-status")).to_have_text("整改中")
    expect(page.get_by_test_id("problem-answer")).to_have_text("已划分待检区、合格区并挂牌")
    _fits(page)
    screenshot(page, "diagnosis-problem-375px")
    assert page.csp_violations == []
