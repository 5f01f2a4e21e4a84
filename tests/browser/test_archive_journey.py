"""Issue 21 journey in real Chromium (ARC-1, ARC-3): a station staff member requests access to
an enterprise's quality archive → the operator head grants it → the staff member reads it and
exports it, watermarked → the enterprise sees the access in its 访问记录."""

import datetime as dt
import io

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.req("ARC-1")
@pytest.mark.req("ARC-3")
def test_staff_request_head_grants_staff_reads_and_exports_enterprise_sees_log(
    live_server, page, browser, demo_data
):
    from pypdf import PdfReader

    from qihub.archive.models import AccessGrant, ArchiveRead
    from qihub.archive.workflow import today

    # The demo's earlier access is not this journey's: start from no grant.
    ArchiveRead.objects.all().delete()
    AccessGrant.objects.all().delete()
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())

    log_in(page, base, "demo_station")
    page.goto(f"{base}/archive/")
    form = page.get_by_test_id("request-form")
    form.get_by_label("企业").fill("江南精密机械有限公司（演示）")
    form.get_by_label("查阅事由").fill("核对企业送检记录，准备上门服务")
    form.get_by_label("查阅期限起").fill("2020-01-01")
    form.get_by_label("查阅期限止").fill("2020-01-05")
    form.get_by_role("button", name="提交申请").click()
    expect(page.locator("body")).to_contain_text("查阅期限止：不能早于今天")
    start = today()
    form = page.get_by_test_id("request-form")
    form.get_by_label("企业").fill("江南精密机械有限公司（演示）")
    form.get_by_label("查阅事由").fill("核对企业送检记录，准备上门服务")
    form.get_by_label("查阅期限起").fill(start.isoformat())
    form.get_by_label("查阅期限止").fill((start + dt.timedelta(days=10)).isoformat())
    form.get_by_role("button", name="提交申请").click()
    page.wait_for_url("**/archive/grants/CY-*/")
    expect(page.get_by_test_id("grant-status")).to_have_text("待审批")
    number = page.url.rstrip("/").rsplit("/", 1)[-1]
    archive = AccessGrant.objects.get(number=number).enterprise_id
    page.goto(f"{base}/archive/enterprises/{archive}/")
    expect(page.get_by_test_id("forbidden")).to_contain_text("须经运营机构负责人授权")

    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    head = context.new_page()
    head.set_default_timeout(15_000)
    head.on("dialog", lambda dialog: dialog.accept())
    log_in(head, base, "demo_operator")
    head.goto(f"{base}/archive/")
    head.get_by_test_id("waiting").get_by_role("link", name=number).click()
    head.get_by_test_id("grant-form").get_by_label("审批意见").fill("同意，限本次服务使用")
    head.get_by_role("button", name="批准查阅").click()
    expect(head.get_by_test_id("grant-status")).to_have_text("已授权")
    context.close()

    page.goto(f"{base}/archive/grants/{number}/")
    page.get_by_test_id("open-archive").click()
    expect(page.get_by_test_id("archive")).to_contain_text("江南精密机械有限公司（演示） 质量档案")
    expect(page.get_by_test_id("watermark")).to_contain_text("查阅人：【演示】高新区服务站 王敏")
    expect(page.get_by_test_id("timeline").get_by_test_id("line").first).to_be_visible()
    page.get_by_test_id("kinds").get_by_role("link", name="服务需求").click()
    expect(page.get_by_test_id("records")).to_be_visible()
    screenshot(page, "archive-staff-reads")
    with page.expect_download() as download:
        page.get_by_test_id("export-pdf").click()
    pdf = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    for pdf_page in pdf.pages:
        assert "查阅人：【演示】高新区服务站 王敏" in pdf_page.extract_text().replace("\n", "")

    enterprise = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    enterprise.set_default_timeout(15_000)
    log_in(enterprise, base, "demo_enterprise")
    enterprise.goto(f"{base}/accounts/workbench/")
    enterprise.get_by_role("link", name="我的质量档案").first.click()
    enterprise.get_by_test_id("reads-link").click()
    reads = enterprise.get_by_test_id("reads")
    expect(reads).to_contain_text("【演示】高新区服务站 王敏")
    expect(reads).to_contain_text("核对企业送检记录，准备上门服务")
    expect(reads).to_contain_text("导出档案文件")
    expect(reads).to_contain_text("在线查阅")
    screenshot(enterprise, "archive-enterprise-reads")
