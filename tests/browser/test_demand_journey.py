"""Issue 6 journey in real Chromium: an enterprise publishes a demand → the operator sees the
clocks and sends the recommendation → the enterprise clicks 下单 on the shortlist → the
institution confirms (the service period clock starts) and issues the report → the enterprise
downloads it, the QR verification page says valid, and the enterprise evaluates; a second
evaluation is refused. The order is linked to the demand, the demand is completed, and the
operator's appraisal counts the evaluation for the first responsible person."""

import pytest

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.req("DEM-1", "DEM-3", "DEM-4", "DEM-5")
def test_publish_a_demand_operator_sends_the_shortlist_enterprise_reads_it(
    live_server, page, demo_data
):
    base = live_server.url
    log_in(page, base, "demo_enterprise2")
    page.goto(base + "/demands/new/")
    page.select_option("#id_category", "metrology")
    page.fill("#id_title", "实验室电子天平校准")
    page.fill("#id_description", "质检实验室 3 台电子天平需要做称量误差、重复性校准")
    page.fill("#id_product", "电子天平")
    # The region picker: each level is filled by regions.js once the one above is picked.
    page.select_option("#id_region", "320000")
    page.select_option("#id_region_city", "320200")
    page.select_option("#id_region_county", "320214")
    page.get_by_role("button", name="发布需求").click()
    page.wait_for_url("**/demands/XQ-*/")
    number = page.url.rstrip("/").rsplit("/", 1)[1]
    assert (
        "剩余" in page.get_by_test_id("clocks").inner_text()
        or "今日到期" in page.get_by_test_id("clocks").inner_text()
    )
    screenshot(page, "demand-published")

    page.context.clear_cookies()
    log_in(page, base, "demo_operator")
    page.goto(base + "/ops/demands/")
    row = page.locator(f"tr[data-number='{number}']")
    assert "需求响应" in row.inner_text()
    row.get_by_role("link", name=number).click()
    assert "江南计量检测研究院（演示）" in page.get_by_test_id("shortlist").inner_text()
    assert "电子天平" in page.get_by_test_id("shortlist").inner_text()
    screenshot(page, "demand-operator-shortlist")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="发送推荐").click()
    page.wait_for_selector("[data-status='recommended']")

    page.context.clear_cookies()
    log_in(page, base, "demo_enterprise2")
    page.goto(f"{base}/demands/{number}/")
    recommended = page.get_by_test_id("recommended").first.inner_text()
    assert "江南计量检测研究院（演示）" in recommended
    assert (
        "电子天平（校准）：能力范围 电子天平 ｜ 称量误差" in recommended
    )  # which line meets which need
    assert "已推荐" in page.get_by_test_id("demand-status").inner_text()
    screenshot(page, "demand-recommendation-for-enterprise")

    # The enterprise orders the calibration straight from the shortlist.
    page.get_by_test_id("recommended").filter(has_text="江南计量检测研究院（演示）").get_by_role(
        "link", name="下单"
    ).click()
    page.wait_for_url("**/orders/new/*/?demand=*")
    assert "¥120.00" in page.get_by_test_id("price").inner_text()
    assert number in page.get_by_test_id("order-demand").inner_text()
    page.fill("#id_description", "3 台电子天平，量程 220 g")
    page.fill("#id_quantity", "3")
    page.get_by_role("button", name="提交订单").click()
    page.wait_for_url("**/orders/DD-*/")
    order_url = page.url
    assert "¥360.00" in page.get_by_test_id("order-price").inner_text()
    page.goto(f"{base}/demands/{number}/")
    assert "服务中" in page.get_by_test_id("demand-status").inner_text()
    assert (
        order_url.rstrip("/").rsplit("/", 1)[1] in page.get_by_test_id("demand-orders").inner_text()
    )

    # The institution confirms and issues its report; the platform signs it.
    from weasyprint import HTML

    pdf = HTML(string="<p style='font-family: Noto Sans CJK SC'>校准结果：符合要求</p>").write_pdf()
    page.context.clear_cookies()
    log_in(page, base, "demo_institution")
    page.goto(order_url)
    page.get_by_role("button", name="确认").click()
    page.wait_for_selector("[data-status='accepted']")
    assert "订单服务周期" in page.get_by_test_id("clocks").inner_text()
    page.set_input_files(
        "#id_report", files=[{"name": "校准证书.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
    page.fill("#id_conclusion", "所校电子天平称量误差符合 JJG 1036-2022 要求")
    page.get_by_role("button", name="签发报告").click()
    page.wait_for_selector("[data-status='completed']")
    screenshot(page, "order-report-issued")

    # The enterprise downloads the report, checks it on the verification page and evaluates.
    page.context.clear_cookies()
    log_in(page, base, "demo_enterprise2")
    page.goto(order_url)
    with page.expect_download() as download:
        page.get_by_test_id("report-download").click()
    assert download.value.suggested_filename.startswith("BG-")
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"
    page.get_by_role("link", name="真伪核验").click()
    assert page.get_by_test_id("verify").get_attribute("data-result") == "valid"
    screenshot(page, "report-verified")
    page.goto(order_url)
    page.get_by_role("link", name="评价本次服务").click()
    page.set_viewport_size({"width": 375, "height": 740})
    for group in page.get_by_role("radiogroup").all():  # one tap per indicator, by thumb
        button = group.locator("label", has_text="5 分")
        box = button.bounding_box()
        assert box and box["height"] >= 44 and box["width"] >= 44
        button.click()
    screenshot(page, "evaluation-rating-375px")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.fill("#id_comment", "响应快，证书规范")
    page.get_by_test_id("submit-evaluation").click()
    page.wait_for_url(order_url)
    assert "总体 5 分" in page.get_by_test_id("evaluation").inner_text()
    page.goto(order_url + "evaluate/")
    assert "不能重复评价" in page.get_by_test_id("already-evaluated").inner_text()
    screenshot(page, "evaluation-once")

    # The demand was served: linked, completed, and the evaluation counts for its first
    # responsible person in the operator's staff appraisal.
    from qihub.demands.models import Demand
    from qihub.orders.models import Order

    order = Order.objects.get(number=order_url.rstrip("/").rsplit("/", 1)[1])
    demand = Demand.objects.get(number=number)
    assert order.demand_id == demand.pk and demand.status == "completed"
    page.goto(f"{base}/demands/{number}/")
    assert "服务已完成" in page.get_by_test_id("demand-status").inner_text()
    page.context.clear_cookies()
    log_in(page, base, "demo_operator")
    page.goto(f"{base}/ops/staff/")
    row = page.locator("tr[data-staff='demo_operator']")
    assert "1（0）" in row.inner_text()  # one evaluation, none dissatisfied
    screenshot(page, "staff-appraisal-counts-the-evaluation")
