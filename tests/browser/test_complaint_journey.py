"""Issue 7 journey in real Chromium: an enterprise complains about an order → the operator
investigates and forwards it → the institution responds → the operator decides and feeds back →
a rectification opens, is planned, acted on and verified → the supervisor's dashboard and the
public statistics page show it."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import image_loaded, log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def completed_order(demo_data):
    """Set-up, not the journey: demo_enterprise has a completed order with demo_institution."""
    from qihub.accounts.models import User
    from qihub.institutions.models import InstitutionService
    from qihub.orders import workflow

    lab = User.objects.get(username="demo_institution")
    service = InstitutionService.objects.filter(organisation__account=lab, pricing="fixed").first()
    order = workflow.place(
        client=User.objects.get(username="demo_enterprise"),
        service=service,
        description="【演示】30 块压力表检定",
        quantity=1,
    )
    order = workflow.confirm(order, by=lab, version=order.version)
    return workflow.complete(order, by=lab, version=order.version)


@pytest.fixture
def signed_in(browser, live_server):
    """One browser context per person, each logged in once (a TOTP code is good for one log-in)."""
    contexts = {}

    def page_of(username: str):
        if username not in contexts:
            context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
            new = context.new_page()
            new.set_default_timeout(15_000)
            new.on("dialog", lambda dialog: dialog.accept())
            log_in(new, live_server.url, username)
            contexts[username] = (context, new)
        return contexts[username][1]

    yield page_of
    for context, _ in contexts.values():
        context.close()


def act(page, testid_or_label: str, text: str, button: str) -> None:
    page.fill(testid_or_label, text)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


@pytest.mark.req("CMP-1", "CMP-2", "EVAL-9", "EVAL-6")
def test_complaint_to_rectification_to_published_figures(
    live_server, page, completed_order, signed_in
):
    base = live_server.url
    visitor = page  # the fixture's page records CSP violations
    log_in(page, base, "demo_enterprise")
    page.goto(f"{base}/orders/{completed_order.number}/")
    page.get_by_test_id("complain").click()
    # Only the fields of the chosen target show: the institution picker, not the station or
    # staff selects; choosing 工作人员 swaps them; back to 技术机构 for this complaint.
    expect(page.locator("#id_against_station")).to_be_hidden()
    expect(page.locator("#id_against")).to_be_visible()
    page.select_option("#id_target", "staff")
    expect(page.locator("#id_against_staff")).to_be_visible()
    expect(page.locator("#id_against")).to_be_hidden()
    page.select_option("#id_target", "institution")
    page.select_option("#id_type", label="办理时限")
    page.fill("#id_content", "检定证书比约定晚了 5 个工作日才出具")
    page.fill("#id_request", "说明原因并改进")
    page.get_by_role("button", name="提交投诉").click()
    page.wait_for_url("**/complaints/TS-*/")
    number = page.url.rstrip("/").rsplit("/", 1)[1]
    assert "剩余" in page.get_by_test_id("clocks").inner_text()
    screenshot(page, "complaint-accepted")

    page = signed_in("demo_operator")
    page.goto(f"{base}/complaints/{number}/")
    act(page, "#findings", "核对订单记录：约定 5 个工作日，实际 10 个工作日", "登记")
    act(page, "#forward", "请核实超期原因并答复", "转交被投诉机构")
    page.wait_for_selector("[data-status='forwarded']")

    page = signed_in("demo_institution")
    page.goto(f"{base}/institution/complaints/")
    page.get_by_role("link", name=number).click()
    act(page, "#respond", "标准器送检延误导致超期，已致歉", "提交答复")
    page.wait_for_selector("[data-status='responded']")

    page = signed_in("demo_operator")
    page.goto(f"{base}/complaints/{number}/")
    page.select_option("#id_substantiated", "yes")
    act(page, "#id_decision", "投诉属实，责令机构整改检定时效", "登记处理决定")
    act(page, "#feedback", "投诉属实，已责令机构整改，整改结果将在统计页面公示", "反馈并办结")
    page.wait_for_selector("[data-status='closed']")
    screenshot(page, "complaint-decided")
    act(page, "#problem", "检定超期：标准器送检无备用方案", "发起整改（15 个工作日）")
    page.wait_for_url("**/rectifications/ZG-*/")
    rectification = page.url.rstrip("/").rsplit("/", 1)[1]
    assert "整改" in page.get_by_test_id("clocks").inner_text()

    page = signed_in("demo_institution")
    page.goto(f"{base}/rectifications/{rectification}/")
    act(page, "#plan", "建立标准器送检备用方案，超期预警提前 2 个工作日", "提交整改计划")
    act(page, "#actions", "已租用备用标准器，LIMS 增加超期预警", "提交验证")
    page.wait_for_selector("[data-status='acted']")

    page = signed_in("demo_operator")
    page.goto(f"{base}/rectifications/{rectification}/")
    act(page, "#verify-text", "抽查本月 12 份证书均按期出具，整改有效", "登记复查结论")
    page.wait_for_selector("[data-status='closed']")
    screenshot(page, "rectification-closed")

    page = signed_in("demo_supervisor")
    page.goto(f"{base}/ops/statistics/")
    assert page.get_by_test_id("kpi-complaints").inner_text() == "1（1）"
    assert page.get_by_test_id("kpi-rectifications").inner_text() == "1（1）"
    assert rectification in page.get_by_test_id("rechecks").inner_text()
    assert image_loaded(page.get_by_test_id("chart"))
    screenshot(page, "supervisor-dashboard")

    page = visitor
    page.context.clear_cookies()
    page.goto(f"{base}/statistics/")
    rechecks = page.get_by_test_id("rechecks").inner_text()
    assert rectification in rechecks and "整改有效" in rechecks
    assert "demo_enterprise" not in page.content()
    assert image_loaded(page.locator("img[alt='按时办结率图']"))
    screenshot(page, "public-statistics")
    page.set_viewport_size({"width": 375, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # tables scroll inside
    assert page.csp_violations == []
