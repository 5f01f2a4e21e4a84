"""Issue 20 journey in real Chromium (DEM-13): the demo batch of two enterprises' pressure-gauge
demands, offered by the demo institution → the enterprise reads the offer and the saving on its
demand page and accepts (confirmed) → its own order appears on the batch and demand pages → the
operator sees the member's order on the batch page and the groups page."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser


@pytest.mark.req("DEM-13")
def test_enterprise_accepts_the_batch_offer_and_gets_its_own_order(
    live_server, page, browser, demo_data
):
    from qihub.pooling.models import Batch

    batch = Batch.objects.get()
    member = batch.members.get(demand__client__username="demo_enterprise")
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, base, "demo_enterprise")
    page.goto(f"{base}/demands/{member.demand.number}/")
    offer = page.get_by_test_id("batch-offer")
    expect(offer).to_contain_text("每家企业 ¥30.00")
    expect(offer).to_contain_text("节省 ¥5.00")
    offer.get_by_role("button", name="接受批量报价").click()
    expect(page.get_by_text("已接受批量报价，已为您的需求生成订单")).to_be_visible()
    # The answer leads to the batch page: the enterprise's own row shows its new order.
    mine = page.locator(f'[data-testid="member"][data-demand="{member.demand.number}"]')
    expect(mine).to_contain_text("已接受，已生成订单")
    expect(mine).to_contain_text("DD-")
    page.goto(f"{base}/demands/{member.demand.number}/")
    expect(page.get_by_test_id("demand-orders")).to_contain_text("DD-")
    assert page.csp_violations == []

    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    staff = context.new_page()
    staff.set_default_timeout(15_000)
    log_in(staff, base, "demo_operator")
    staff.goto(f"{base}/pooling/batches/{batch.number}/")
    row = staff.locator(f'[data-testid="member"][data-demand="{member.demand.number}"]')
    expect(row).to_contain_text("已接受，已生成订单")
    expect(row).to_contain_text("已下单，待机构确认")
    staff.goto(f"{base}/pooling/")
    expect(staff.get_by_test_id("group-count")).to_be_visible()
    context.close()
