"""Issue 19 parts 3–5 in real Chromium at 375 px (BIO-3, BIO-4, BIO-5, BIO-6, BIO-9): a device
maker opens a product archive; the service team moves it through three stages with a service
record at each; the maker applies for dossier pre-review, gets comments per document and
resubmits; the two-week follow-up falls overdue and shows on the team's list. Each page fits
the phone, is Chinese only and has no serious axe-core finding."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot
from tests.browser.test_crawl import latin_words

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 812}
AXE = Axe()


def _fits_and_reads(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    assert not latin_words(page.locator("body").inner_text())
    serious = [
        v["id"]
        for v in AXE.run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert not serious, serious


def _as(browser, base: str, username: str):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions
    log_in(page, base, username)
    return page


@pytest.mark.req("BIO-3", "BIO-4", "BIO-5", "BIO-6", "BIO-9")
def test_device_maker_archive_through_stages_review_and_overdue_follow_up(
    browser, live_server, demo_data, tmp_path
):
    from qihub.biomed.models import ProductArchive
    from qihub.core import testing
    from qihub.deadlines import workflow as clocks
    from qihub.deadlines.queries import open_clock

    base = live_server.url
    firm = _as(browser, base, "demo_enterprise2")
    firm.goto(f"{base}/accounts/workbench/")
    firm.get_by_role("link", name="我的产品档案").first.click()
    firm.wait_for_url("**/biomed/archives/")
    firm.get_by_test_id("open-archive").click()
    firm.wait_for_url("**/biomed/archives/new/")
    assert "免费" in firm.locator("main").inner_text()
    firm.get_by_label("产品名称").fill("医用电子体温计")
    firm.get_by_label("产品类别").select_option(label="第二类医疗器械")
    firm.get_by_label("注册路径").select_option(label="注册")
    firm.get_by_label("目前所处阶段").select_option(label="引进")
    _fits_and_reads(firm)
    firm.get_by_role("button", name="建立档案").click()
    firm.wait_for_url("**/biomed/archives/CP-*/")
    archive = ProductArchive.objects.get(name="医用电子体温计")
    assert "引进" in firm.get_by_test_id("stage").inner_text()
    screenshot(firm, "biomed-1-opened-375")

    team = _as(browser, base, "demo_operator")
    url = f"{base}/biomed/archives/{archive.number}/"
    team.goto(url)
    services = [
        ("引进路线设计", "建议按已上市产品引进，先做产品属性界定", "立项"),
        ("产品属性与分类界定", "界定为第二类医疗器械，分类编码 07-03", "设计开发"),
        ("技术要求编写", "技术要求参照 GB/T 21416 编写", "样品试制"),
    ]
    for kind, advice, following in services:
        form = team.get_by_test_id("record-service")
        form.get_by_label("服务事项").select_option(label=kind)
        form.get_by_label("服务内容与建议").fill(advice)
        form.get_by_role("button", name="登记服务").click()
        expect(team.get_by_test_id("services")).to_contain_text(advice)
        team.get_by_test_id("advance").get_by_role("button", name="进入下一阶段").click()
        expect(team.get_by_test_id("stage")).to_contain_text(following)
    history = team.get_by_test_id("history").inner_text()
    assert "立项 → 设计开发" in history and "设计开发 → 样品试制" in history
    _fits_and_reads(team)
    screenshot(team, "biomed-2-three-stages-375")

    dossier = tmp_path / "产品技术要求.pdf"
    dossier.write_bytes(testing.pdf_bytes())
    firm.goto(url)
    apply = firm.get_by_test_id("apply-review")
    apply.get_by_label("资料 1 名称").fill("产品技术要求")
    apply.get_by_label("资料 1 文件").set_input_files(str(dossier))
    apply.get_by_role("button", name="申请资料预审").click()
    expect(firm.get_by_test_id("review-status")).to_contain_text("待预审")

    team.goto(url)
    comment = team.get_by_test_id("comment-review")
    comment.get_by_label("“产品技术要求”的预审意见").fill("检验方法缺少引用标准的版本号")
    comment.get_by_label("“产品技术要求”为不符合项").check()
    comment.get_by_label("预审结论").select_option(label="退回补正")
    comment.get_by_role("button", name="出具预审意见").click()
    expect(team.get_by_test_id("review-status")).to_contain_text("待补正")

    firm.goto(url)
    assert "检验方法缺少引用标准的版本号" in firm.get_by_test_id("round-1").inner_text()
    _fits_and_reads(firm)
    screenshot(firm, "biomed-3-comments-375")
    again = firm.get_by_test_id("apply-review")
    again.get_by_label("资料 1 名称").fill("产品技术要求（修订）")
    again.get_by_label("资料 1 文件").set_input_files(str(dossier))
    again.get_by_role("button", name="补正后再次提交").click()
    expect(firm.get_by_test_id("review-status")).to_contain_text("第 2 轮")

    # Twenty days pass without a follow-up: the clock is restarted through the engine as if
    # the archive had opened then (the live server's time cannot be frozen from here).
    running = open_clock(archive, "product_follow_up")
    clocks.stop_clock(running, note="测试：改为二十天前开始")
    started = running.started_at - dt.timedelta(days=20)
    clocks.start_clock("product_follow_up", archive, at=started)
    team.goto(f"{base}/biomed/follow-ups/overdue/")
    row = team.locator(f"[data-archive='{archive.number}']")
    assert "医用电子体温计" in row.inner_text() and "天" in row.inner_text()
    _fits_and_reads(team)
    screenshot(team, "biomed-4-overdue-375")
