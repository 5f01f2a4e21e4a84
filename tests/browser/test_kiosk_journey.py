"""STA-3 in real Chromium on a portrait 1080×1920 terminal: the start page, a guide and its
slip, a report printed by its number and code (a wrong code first), a queue ticket, and the idle
reset that goes back to the start page and forgets what was typed. Every kiosk page is held to
the crawl's rules (no overflow, no Latin words, no serious axe findings), since the crawl does
not reach the kiosk: it is a terminal's own address, not linked from the site."""

import pytest

from tests.browser.conftest import screenshot
from tests.browser.test_crawl import AXE, PAGE_JS, SERIOUS, latin_words

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 1080, 1920


def check(page) -> None:
    facts = page.evaluate(PAGE_JS)
    assert facts["wide"] <= WIDTH + 1, f"{page.url} overflows: {facts['wide']}px"
    assert latin_words(facts["text"]) == set(), page.url
    serious = [v["id"] for v in AXE.run(page).response["violations"] if v["impact"] in SERIOUS]
    assert serious == [], f"{page.url}: {serious}"
    # Touch targets of the kiosk: every button and big link is at least 64 px high.
    for target in page.locator(".kiosk-tile, .kiosk-button, .kiosk-row, .kiosk-home").all():
        if target.is_visible():
            assert target.bounding_box()["height"] >= 64, target.inner_text()


@pytest.fixture
def report(live_server, demo_data):
    from qihub.accounts.models import Organisation, User
    from qihub.core import testing
    from qihub.orders import workflow

    lab = User.objects.get(username="demo_institution")
    order = testing.order(
        User.objects.get(username="demo_enterprise"),
        institution_org=Organisation.objects.get(account=lab),
        status="accepted",
    )
    return workflow.issue_report(
        order,
        by=lab,
        version=None,
        source=testing.pdf_bytes(),
        filename="报告.pdf",
        conclusion="所检项目符合要求",
        verify_base=live_server.url,
    )


@pytest.mark.req("STA-3")
def test_a_visitor_uses_the_kiosk_and_it_resets_when_left_alone(live_server, browser, report):
    from qihub.accounts.models import Station

    station = Station.objects.get(name__contains="高新区")
    base = live_server.url
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": WIDTH, "height": HEIGHT}
    )
    # Headless Chromium has no printer: count the print calls instead (the terminal itself runs
    # with --kiosk-printing, which prints them silently; see docs/operations.md).
    context.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )

    # Installed once with the station's number; from then on the terminal names its station.
    page.goto(f"{base}/kiosk/?station={station.pk}")
    page.wait_for_url("**/kiosk/")
    assert station.name in page.get_by_test_id("kiosk-station").inner_text()
    assert page.locator("nav[aria-label='主导航']").count() == 0
    check(page)
    screenshot(page, "kiosk-start")

    page.get_by_role("link", name="办事指南").first.click()
    page.wait_for_url("**/kiosk/guides/")
    check(page)
    page.get_by_test_id("kiosk-guide-link").first.click()
    page.wait_for_url("**/kiosk/guides/*/")
    assert "申请材料" in page.get_by_test_id("kiosk-guide").inner_text()
    check(page)
    screenshot(page, "kiosk-guide")
    page.get_by_test_id("print-slip").click()
    page.wait_for_url("**/slip/")
    assert "办事指引单" in page.get_by_test_id("slip").inner_text()
    page.wait_for_load_state("load")
    assert page.evaluate("() => window.printed") == 1  # printed once on arrival

    page.get_by_test_id("kiosk-home").click()
    page.get_by_test_id("tile-report").click()
    page.fill("#id_number", report.number)
    page.fill("#id_code", "AAAAAAAAAA")
    page.get_by_test_id("report-submit").click()
    assert "报告编号或核验码不正确" in page.get_by_test_id("kiosk-error").inner_text()
    check(page)
    page.fill("#id_code", report.verification_code.lower())
    page.get_by_test_id("report-submit").click()
    page.wait_for_url("**/kiosk/print/**")
    frame = page.get_by_test_id("report-frame")
    pdf = page.request.get(base + frame.get_attribute("src"))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF-")
    assert report.number in page.get_by_test_id("kiosk-print-report").inner_text()
    page.wait_for_timeout(2_000)  # the report's frame prints once its viewer has loaded
    check(page)
    screenshot(page, "kiosk-report-printed")

    page.get_by_test_id("kiosk-home").click()
    page.get_by_test_id("tile-ticket").click()
    page.get_by_text("报告领取").click()
    page.get_by_test_id("ticket-submit").click()
    page.wait_for_url("**/kiosk/ticket/*/")
    assert page.get_by_test_id("ticket-number").inner_text() == "001"
    assert station.name in page.get_by_test_id("ticket").inner_text()
    page.wait_for_load_state("load")
    assert page.evaluate("() => window.printed") == 1
    check(page)
    screenshot(page, "kiosk-ticket")

    # Left alone with a number typed in: the page goes back to the start and forgets it. The
    # test shortens the wait through the attribute the timer reads on every tick.
    page.goto(f"{base}/kiosk/report/")
    page.fill("#id_number", report.number)
    page.locator("body").evaluate("body => body.setAttribute('data-idle-seconds', '1')")
    page.wait_for_url(f"{base}/kiosk/", timeout=5_000)
    assert page.locator("body[data-at-home]").count() == 1
    assert station.name in page.get_by_test_id("kiosk-station").inner_text()  # still installed
    page.get_by_test_id("tile-report").click()
    assert page.input_value("#id_number") == ""
    assert violations == []
    context.close()


@pytest.mark.req("STA-3")
def test_the_owner_shows_a_qr_on_the_phone_and_the_scanner_prints_it(
    live_server, browser, page, report
):
    from qihub.kiosk.printing import phone_token
    from tests.browser.conftest import log_in

    base = live_server.url
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, base, "demo_enterprise")
    page.goto(f"{base}/orders/{report.order.number}/")
    page.get_by_test_id("kiosk-print").click()
    page.wait_for_url("**/kiosk-qr/")
    qr = page.get_by_test_id("kiosk-qr")
    assert qr.get_by_role("img", name="打印二维码").is_visible()
    assert "5 分钟内有效" in qr.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 376
    screenshot(page, "kiosk-phone-qr")

    # At the terminal a keyboard-wedge scanner "types" what the QR carries, then Enter, with
    # nothing focused: the page puts the keys into the QR box.
    terminal = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": WIDTH, "height": HEIGHT}
    )
    terminal.add_init_script("window.print = () => {};")
    kiosk = terminal.new_page()
    kiosk.goto(f"{base}/kiosk/report/")
    kiosk.keyboard.type(phone_token(report))
    kiosk.keyboard.press("Enter")
    kiosk.wait_for_url("**/kiosk/print/**")
    assert report.number in kiosk.get_by_test_id("kiosk-print-report").inner_text()
    terminal.close()
