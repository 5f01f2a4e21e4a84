"""Issue 20's clinic in real Chromium: an enterprise asks the quality clinic, the expert asks
back (the answer clock pauses) and then answers that a test is needed, and the enterprise turns
the answer into a demand in one click."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.req("DEM-10")
def test_ask_ask_back_answer_and_turn_into_a_demand(live_server, page, demo_data):
    from qihub.clinic.models import Consultation
    from qihub.deadlines.models import ClockState
    from qihub.deadlines.queries import clocks_for

    log_in(page, live_server.url, "demo_enterprise")
    page.goto(live_server.url + "/accounts/workbench/")
    page.get_by_test_id("workbench-card").filter(has_text="我的咨询").click()
    page.get_by_test_id("ask").click()
    page.select_option("#id_field", "metrology")
    page.fill("#id_title", "地磅需要检定吗")
    page.fill("#id_question", "我厂用电能表和地磅结算，电能表是否需要检定？")
    page.get_by_test_id("ask-form").get_by_role("button", name="提交咨询").click()
    expect(page.get_by_test_id("consultation-status")).to_have_text("待专家回答")
    expect(page.get_by_test_id("expert")).to_contain_text("李工")
    number = page.url.rstrip("/").rsplit("/", 1)[-1]

    page.context.clear_cookies()
    log_in(page, live_server.url, "demo_expert")
    page.goto(live_server.url + "/accounts/workbench/")
    page.get_by_test_id("workbench-card").filter(has_text="待回答").click()
    page.get_by_role("link", name=number).click()
    page.get_by_test_id("ask-back-form").locator("textarea").fill("电能表是否用于向他人收费？")
    page.get_by_test_id("ask-back-form").get_by_role("button", name="发送追问").click()
    expect(page.get_by_test_id("consultation-status")).to_have_text("专家追问待补充")
    record = Consultation.objects.get(number=number)
    assert clocks_for(record).get(code="clinic_answer").state == ClockState.PAUSED

    page.context.clear_cookies()
    log_in(page, live_server.url, "demo_enterprise")
    page.goto(f"{live_server.url}/clinic/{number}/")
    expect(page.get_by_test_id("pending-question")).to_have_text("电能表是否用于向他人收费？")
    page.get_by_test_id("reply-form").locator("textarea").fill("用于向租户收取电费")
    page.get_by_test_id("reply-form").get_by_role("button", name="提交补充说明").click()
    expect(page.get_by_test_id("consultation-status")).to_have_text("待专家回答")
    assert clocks_for(record).get(code="clinic_answer").state == ClockState.RUNNING

    page.context.clear_cookies()
    log_in(page, live_server.url, "demo_expert")
    page.goto(f"{live_server.url}/clinic/{number}/")
    page.get_by_test_id("answer-form").locator("textarea").fill("属于强制检定，请送检。")
    page.get_by_test_id("answer-form").locator("input[type=checkbox]").check()
    page.get_by_test_id("answer-form").get_by_role("button", name="提交答复").click()
    expect(page.get_by_test_id("consultation-status")).to_have_text("专家已回答")

    page.context.clear_cookies()
    log_in(page, live_server.url, "demo_enterprise")
    page.goto(f"{live_server.url}/clinic/{number}/")
    page.once("dialog", lambda dialog: dialog.accept())  # the data-confirm question
    page.get_by_test_id("to-demand").click()
    expect(page.get_by_test_id("consultation-status")).to_have_text("已转为服务需求")
    page.get_by_test_id("demand-link").click()
    expect(page.locator("body")).to_contain_text(number)
    screenshot(page, "clinic-to-demand")
    assert page.csp_violations == []
