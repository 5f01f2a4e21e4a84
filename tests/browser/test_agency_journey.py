"""Issue 20 journey in real Chromium (DEM-11): an enterprise fills in an entrustment and signs
it online with its dynamic code → the station's agent records two steps within the scope →
the agent collects the report at the order's 代办领取 and the entrusted item closes."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def completed_order(demo_data):
    """Set-up, not the journey: demo_enterprise has a completed order with its report."""
    from qihub.accounts.models import User
    from qihub.core import testing

    return testing.order_in("completed", User.objects.get(username="demo_enterprise"))


@pytest.mark.req("DEM-11")
def test_entrustment_signed_then_two_steps_and_the_report_collected(
    live_server, page, browser, completed_order
):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from qihub.agency.models import Entrustment
    from qihub.core.demo import DEMO_PASSWORD

    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, base, "demo_enterprise")
    page.goto(f"{base}/agency/new/")
    page.select_option(
        "#id_agent", label="【演示】高新区质量基础设施一站式服务站：【演示】高新区服务站 王敏"
    )
    page.select_option("#id_item_1", index=1)
    page.fill("#id_task_1", "代为办理压力表检定并领取报告")
    page.select_option("#id_order_1", value=str(completed_order.pk))
    for label in ("代为提交申请", "代为送样", "代为领取证书报告"):
        page.get_by_label(label).check()
    page.fill("#id_period_from", "2020-01-01")
    page.fill("#id_period_to", "2099-12-31")
    page.get_by_role("button", name="提交委托书").click()
    page.wait_for_url("**/agency/DB-*/")
    expect(page.get_by_test_id("entrustment-status")).to_have_text("待委托人签署")
    number = page.url.rstrip("/").rsplit("/", 1)[-1]

    # The enterprise's authenticator (set up outside the journey) gives the current code.
    device = TOTPDevice.objects.create(
        user=completed_order.client, name="手机验证器", confirmed=True
    )
    form = page.get_by_test_id("sign-online")
    form.get_by_label("登录密码").fill(DEMO_PASSWORD)
    form.get_by_label("当前动态口令（验证器中的 6 位数字）").fill(f"{totp(device.bin_key):06d}")
    form.get_by_role("button", name="确认签署").click()
    expect(page.get_by_test_id("entrustment-status")).to_have_text("代办中")
    expect(page.get_by_test_id("signed")).to_contain_text("在线签署")

    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    agent = context.new_page()
    agent.set_default_timeout(15_000)
    log_in(agent, base, "demo_station")
    agent.goto(f"{base}/agency/{number}/")
    expect(agent.get_by_test_id("step-pay")).to_have_count(0)  # not in the scope
    for authority, label, note in (
        ("submit", "代为提交申请", "已向机构提交检定申请"),
        ("sample", "代为送样", "已送样 30 块"),
    ):
        step = agent.get_by_test_id(f"step-{authority}")
        step.locator("select").select_option(index=1)
        step.locator("textarea").fill(note)
        step.get_by_role("button", name=f"登记：{label}").click()
        expect(agent.get_by_test_id("items")).to_contain_text(note)

    agent.goto(f"{base}/orders/{completed_order.number}/")
    agent.get_by_text("登记代办领取").click()
    agent.fill("#id_collected_by", "演示站点人员")
    agent.fill("#id_id_number", "320201199001011234")
    agent.get_by_role("button", name="登记", exact=True).click()
    expect(agent.get_by_text("代办领取已登记")).to_be_visible()

    page.goto(f"{base}/agency/{number}/")
    expect(page.get_by_test_id("item")).to_have_attribute("data-status", "closed")
    expect(page.get_by_test_id("items")).to_contain_text("代为领取证书报告：代办领取报告")
    assert Entrustment.objects.get(number=number).items.get().status == "closed"
    screenshot(page, "agency-journey")
    assert not page.csp_violations
    context.close()
