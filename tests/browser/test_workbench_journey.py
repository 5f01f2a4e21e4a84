"""Issue 15 in real Chromium: a client's workbench on a phone (375 px) is a to-do list with
counts that open the list; at 1280 px the supervisor's header keeps every item on one line."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser

LINES_JS = """() => Array.from(document.querySelectorAll('[data-testid=role-nav] .nav-link,'
    + ' [data-testid=logout]')).map(el => {
        const range = document.createRange();
        range.selectNodeContents(el);
        const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
        return [el.innerText, tops.size];
    })"""


@pytest.fixture
def overdue_demand(demo_data):
    """Set-up: demo_enterprise has a demand published a week ago, its clocks run out."""
    from qihub.accounts.models import User
    from qihub.core import testing
    from qihub.deadlines.workflow import start_clock
    from qihub.demands.workflow import BOTH_CLOCKS

    client = User.objects.get(username="demo_enterprise")
    demand = testing.demand(client, clocks=False, title="【演示】逾期未响应的需求")
    for code in BOTH_CLOCKS:
        start_clock(code, demand, at=timezone.now() - dt.timedelta(days=7))
    return demand


def test_a_clients_phone_workbench_counts_waiting_and_overdue_and_opens_the_list(
    page, live_server, overdue_demand
):
    page.set_viewport_size({"width": 375, "height": 800})
    log_in(page, live_server.url, "demo_enterprise")
    page.goto(live_server.url + "/accounts/workbench/")

    card = page.get_by_test_id("workbench-card").filter(has_text="我的需求")
    counts = card.get_by_test_id("todo-counts").inner_text()
    assert "待办" in counts and "超时" in counts
    assert int(card.get_by_test_id("todo-overdue").inner_text().split()[-1]) >= 1
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert "建设中" not in page.inner_text("main")
    screenshot(page, "workbench-enterprise-375")

    card.click()
    page.wait_for_url("**/demands/")
    assert overdue_demand.number in page.inner_text("main")
    assert page.csp_violations == []


def test_the_supervisors_header_keeps_each_item_on_one_line_at_1280(page, live_server, demo_data):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_server.url, "demo_supervisor")
    page.goto(live_server.url + "/accounts/workbench/")

    lines = page.evaluate(LINES_JS)

    assert lines and all(count == 1 for _, count in lines), lines
    screenshot(page, "header-supervisor-1280")
