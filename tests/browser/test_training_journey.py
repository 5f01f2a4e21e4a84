"""Issue 21 part 1 in real Chromium at 375 px (TRN-1): an enterprise finds its enrolment from the
workbench and shows the QR; the organiser opens what the QR points to and checks it in with one
tap, then records attendance; the enterprise sees its certificate. Each page fits the phone, is
Chinese only and has no serious axe-core finding."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_biomed_journey import _as, _fits_and_reads

pytestmark = pytest.mark.browser


@pytest.mark.req("TRN-1")
def test_enrolment_qr_check_in_and_certificate(browser, live_server, demo_data):
    from qihub.training.models import Enrolment

    base = live_server.url
    firm = _as(browser, base, "demo_enterprise")
    firm.goto(f"{base}/accounts/workbench/")
    firm.get_by_role("link", name="我的培训报名").first.click()
    firm.wait_for_url("**/training/mine/")
    _fits_and_reads(firm)
    firm.get_by_role("link", name="【演示】窗口服务规范与质量基础设施政策解读").click()
    firm.wait_for_url("**/training/enrolments/*/")
    expect(firm.get_by_test_id("qr-image")).to_be_visible()
    _fits_and_reads(firm)
    code = firm.get_by_test_id("code").inner_text()
    enrolment = Enrolment.objects.get(code=code)

    organiser = _as(browser, base, "demo_operator")
    organiser.goto(f"{base}/training/scan/{code}/")  # what scanning the QR opens
    expect(organiser.get_by_test_id("participant")).to_contain_text("已报名")
    _fits_and_reads(organiser)
    organiser.get_by_role("button", name="确认签到").click()
    organiser.wait_for_url(f"**/training/enrolments/{code}/")
    expect(organiser.get_by_test_id("status")).to_have_text("已签到")
    organiser.locator("#attend_result").select_option(label="合格")
    organiser.get_by_role("button", name="登记结业").click()
    expect(organiser.get_by_test_id("status")).to_have_text("已结业")

    firm.reload()
    expect(firm.get_by_test_id("certificate")).to_be_visible()
    _fits_and_reads(firm)
    enrolment.refresh_from_db()
    assert enrolment.record.hours == enrolment.event.hours
