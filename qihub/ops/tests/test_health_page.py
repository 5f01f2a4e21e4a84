"""系统运行监控 (OPS-1): the health report as a page for the back office, in Chinese, green or
red per part; /healthz keeps the JSON for machines."""

import datetime as dt

import pytest
import time_machine

from qihub.core import testing


@pytest.mark.req("OPS-1")
def test_the_operator_reads_each_part_in_chinese_from_the_workbench(operator, client_as):
    browser = client_as(operator)
    workbench = browser.get("/accounts/workbench/").content.decode()
    assert 'href="/ops/health/"' in workbench

    page = browser.get("/ops/health/").content.decode()

    for label in ("数据库", "缓存", "后台任务队列", "时限巡检", "工作日历"):
        assert label in page
    assert "系统运行正常" in page and "text-bg-danger" not in page
    assert '"status"' not in page and "ok" not in page.split("<main")[1].split("</main>")[0]


@pytest.mark.req("OPS-1")
def test_a_clock_the_sweep_has_not_escalated_shows_the_sweep_red(enterprise, operator, client_as):
    start = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        testing.demand(enterprise)
    with time_machine.travel(start + dt.timedelta(days=7), tick=False):
        page = client_as(operator).get("/ops/health/").content.decode()
        machine = client_as(None).get("/healthz").json()

    sweep = page[page.index('data-testid="health-clock_sweep"') :].split("</li>")[0]
    assert "text-bg-danger" in sweep and "2 个时限超过到期时间仍未上报" in sweep
    assert machine["clock_sweep"] == {"status": "late", "missed": 2}


@pytest.mark.parametrize("name", ["enterprise", "institution", "station_staff"])
def test_the_monitoring_page_is_for_the_back_office_only(name, client_as, request):
    response = client_as(request.getfixturevalue(name)).get("/ops/health/")

    assert response.status_code == 403
