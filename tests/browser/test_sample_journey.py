"""Issue 16 item 3 in real Chromium (ORD-4): an enterprise registers a sample against its order,
the station scans, receives, photographs and labels it and hands it to transport with a one-time
code, the institution types the code, issues the report (the order's own action) and the
station hands the report out; the order shows the time of each leg in working time."""

import pytest

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


def _as(browser, base: str, username: str):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions
    page.csp_violations = []
    page.on(
        "console",
        lambda msg: (
            page.csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )
    log_in(page, base, username)
    return page


@pytest.mark.req("ORD-4")
def test_a_sample_travels_from_the_enterprise_to_the_institution_and_the_report_back(
    live_server, page, browser, demo_data, tmp_path
):
    from qihub.accounts.models import Organisation, User
    from qihub.core import testing
    from qihub.orders.models import OrderStatus

    lab = Organisation.objects.get(account__username="demo_institution")
    client = User.objects.get(username="demo_enterprise")
    order = testing.order_in(OrderStatus.ACCEPTED, client, institution_org=lab)
    station = User.objects.get(username="demo_station").station
    photo = tmp_path / "样品.png"
    photo.write_bytes(testing.png_bytes())
    report = tmp_path / "report.pdf"
    report.write_bytes(testing.pdf_bytes())
    base = live_server.url

    # The enterprise registers the sample from its order's page.
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, base, "demo_enterprise")
    page.goto(f"{base}/orders/{order.number}/")
    page.get_by_test_id("register-sample").click()
    page.fill("#id_name", "一般压力表")
    page.fill("#id_quantity", "3")
    page.fill("#id_retained", "留样 1 块")
    page.select_option("#id_station", label=station.name)
    page.get_by_role("button", name="登记样品").click()
    page.wait_for_url("**/samples/YP-*/")
    sample_url = page.url
    code = sample_url.rstrip("/").rsplit("/", 1)[1]
    assert "已登记，待送站" in page.get_by_test_id("sample-status").inner_text()
    screenshot(page, "sample-registered")

    # The station scans the label's address into its box, checks, photographs and labels it.
    staff = _as(browser, base, "demo_station")
    staff.goto(f"{base}/samples/")
    staff.fill("#scan-q", sample_url)
    staff.keyboard.press("Enter")
    staff.wait_for_url(f"**/samples/{code}/")
    staff.check("#id_checked")
    staff.set_input_files("#id_photo", str(photo))
    staff.get_by_test_id("sample-receive").get_by_role("button", name="确认接收").click()
    staff.wait_for_selector("[data-testid=sample-label-link]")
    assert "站点已接收" in staff.get_by_test_id("sample-status").inner_text()
    staff.goto(f"{base}/samples/{code}/label/")
    assert staff.locator("[data-testid=sample-label] svg").count() == 1
    assert staff.get_by_role("button", name="打印标签").is_visible()
    screenshot(staff, "sample-label")

    # Hand-over to transport: the giver is shown the one-time code.
    staff.goto(sample_url)
    staff.fill("#id_carrier", "李师傅")
    staff.get_by_role("button", name="交付转运").click()
    handover = staff.get_by_test_id("handover-code")
    handover.wait_for()
    one_time = handover.locator("strong").inner_text().strip()
    screenshot(staff, "sample-handover-code")

    # The institution signs the sample in with the code, then issues the order's report.
    institution = _as(browser, base, "demo_institution")
    institution.goto(sample_url)
    institution.fill("#id_code", one_time)
    institution.get_by_test_id("sample-accept").get_by_role("button", name="确认接收").click()
    institution.get_by_text("机构已接收").first.wait_for()
    institution.goto(f"{base}/orders/{order.number}/")
    institution.set_input_files("#id_report", str(report))
    institution.fill("#id_conclusion", "所检压力表示值误差符合 JJG 52-2013 要求")
    institution.get_by_role("button", name="签发报告").click()
    institution.get_by_test_id("report").wait_for()

    # The station hands the report out (the orders' 代办领取).
    staff.goto(sample_url)
    staff.fill("#id_collected_by", "张三")
    staff.fill("#id_id_number", "320102199003071234")
    staff.get_by_role("button", name="发放报告").click()
    staff.get_by_text("报告已领取").first.wait_for()
    handovers = staff.get_by_test_id("handovers").inner_text()
    assert "接收人输入交接码确认" in handovers and "核对领取人证件" in handovers
    screenshot(staff, "sample-handed-out")
    staff.goto(f"{base}/samples/?all=1")
    assert station.name in staff.get_by_test_id("station-stats").inner_text()
    screenshot(staff, "sample-station-statistics")

    # The order shows the time of every leg.
    page.goto(f"{base}/orders/{order.number}/")
    legs = page.get_by_test_id(f"sample-legs-{code}").inner_text()
    for leg in (
        "站点收样至交付转运",
        "交付转运至机构接收",
        "机构接收至出具报告",
        "出具报告至站点发放",
    ):
        assert leg in legs
    assert legs.count("工作日内") == 4
    screenshot(page, "sample-order-legs")
    assert page.csp_violations == []
    assert staff.csp_violations == [] and institution.csp_violations == []
