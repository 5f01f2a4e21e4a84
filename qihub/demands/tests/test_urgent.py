"""The green channel (加急/绿色通道, DEM-14): a demand flagged urgent runs on the shorter declared
clocks, comes first in the queues with a 加急 badge, and staff may flag and unflag it with a
reason; each change stops and restarts the running clocks through the engine."""

import datetime as dt
import re

import pytest
import time_machine

from qihub.deadlines.models import Clock, ClockEvent
from qihub.demands.models import Demand
from qihub.demands.tests.test_demands import PIPE

CST = dt.timezone(dt.timedelta(hours=8))
# Monday 2 November 2026, a plain working week (no holiday, no make-up day).
MONDAY = dt.datetime(2026, 11, 2, 10, 0, tzinfo=CST)
URGENT = {**PIPE, "urgent": "on", "urgent_reason": "出口订单急需检测报告"}
OTHER = {
    **PIPE,
    "title": "电线电缆导体电阻检测",
    "description": "电线电缆导体电阻检测，需要 CMA 报告",
    "product": "电线电缆",
    "standard": "GB/T 3956",
    "allow_similar": "on",
}


def due(number: str) -> dict[str, str]:
    demand = Demand.objects.get(number=number)
    return {
        c.code: c.due_at.astimezone(CST).strftime("%Y-%m-%d %H:%M")
        for c in Clock.objects.filter(object_id=str(demand.pk)).exclude(state="stopped")
    }


def queue_numbers(page: str) -> list[str]:
    return re.findall(r'data-number="(XQ-[^"]+)"', page)


@pytest.mark.req("DEM-14")
def test_a_client_publishes_an_urgent_demand_on_the_shorter_clocks(client_as, company, labs):
    with time_machine.travel(MONDAY, tick=False):
        response = client_as(company).post("/demands/new/", URGENT)
    demand = Demand.objects.get()

    assert response.status_code == 302
    assert demand.urgent and demand.urgent_reason == "出口订单急需检测报告"
    # Urgent: response the same day, recommendation in 1 working day (normal: 1 and 3).
    assert due(demand.number) == {
        "demand_response": "2026-11-02 23:59",
        "demand_recommendation": "2026-11-03 23:59",
    }
    with time_machine.travel(MONDAY + dt.timedelta(minutes=5), tick=False):
        page = client_as(company).get(f"/demands/{demand.number}/").content.decode()
        api = client_as(company).get(f"/api/v1/demands/{demand.number}").json()
    assert 'data-testid="urgent-badge"' in page and "出口订单急需检测报告" in page
    assert (api["urgent"], api["urgent_reason"]) == (True, "出口订单急需检测报告")


@pytest.mark.req("DEM-14")
def test_an_urgent_demand_without_a_reason_is_refused_naming_the_field(client_as, company, labs):
    page = client_as(company).post("/demands/new/", {**URGENT, "urgent_reason": "  "})
    api = client_as(company).post("/api/v1/demands", {**URGENT, "urgent_reason": ""})

    assert page.status_code == 400 and "加急原因：申请加急时必须填写" in page.content.decode()
    assert api.status_code == 422
    assert api.json()["errors"]["urgent_reason"] == ["加急原因：申请加急时必须填写"]
    assert not Demand.objects.exists()


@pytest.mark.req("DEM-14")
def test_staff_flag_a_demand_urgent_it_goes_first_and_unflagging_restores_its_clocks(
    client_as, company, operator, labs
):
    # A fresh log-in in each frozen moment: two days apart a session would be idle too long.
    with time_machine.travel(MONDAY, tick=False):
        first = client_as(company).post("/demands/new/", OTHER)
    assert first.status_code == 302
    older = Demand.objects.get()
    wednesday = MONDAY + dt.timedelta(days=2)
    with time_machine.travel(wednesday, tick=False):
        published = client_as(company).post("/demands/new/", {**PIPE, "allow_similar": "on"})
    assert published.status_code == 302 and "/demands/XQ" in published["Location"]
    newer = Demand.objects.exclude(pk=older.pk).get()
    assert due(newer.number)["demand_recommendation"] == "2026-11-09 23:59"

    with time_machine.travel(wednesday + dt.timedelta(hours=1), tick=False):
        desk = client_as(operator)  # staff sessions end after a short idle time
        before = queue_numbers(desk.get("/ops/demands/").content.decode())
        flagged = desk.post(
            f"/demands/{newer.number}/urgent/",
            {"version": newer.version, "reason": "企业来电：生产线停线待检"},
        )
        after = desk.get("/ops/demands/").content.decode()

    # The older demand is overdue and was first; the urgent one now leads, with its badge.
    assert before == [older.number, newer.number]
    assert flagged.status_code == 302
    assert queue_numbers(after) == [newer.number, older.number]
    assert after.count('data-testid="urgent-badge"') == 1
    assert due(newer.number) == {
        "demand_response": "2026-11-04 23:59",
        "demand_recommendation": "2026-11-05 23:59",
    }
    newer.refresh_from_db()
    assert newer.urgent and newer.urgent_reason == "企业来电：生产线停线待检"
    event = newer.events.get(kind="urgent_flagged")
    assert event.by == operator and "生产线停线待检" in event.note
    switched = ClockEvent.objects.filter(clock__object_id=str(newer.pk), note__contains="转为加急")
    assert {e.kind for e in switched} == {"stopped", "started"}

    with time_machine.travel(wednesday + dt.timedelta(hours=2), tick=False):
        desk = client_as(operator)
        api = desk.post(
            f"/api/v1/demands/{newer.number}/unurgent",
            {"version": newer.version, "reason": "企业已自行送检"},
        )
        page = desk.get("/ops/demands/").content.decode()
    assert api.status_code == 200 and api.json()["urgent"] is False
    assert due(newer.number) == {
        "demand_response": "2026-11-05 23:59",
        "demand_recommendation": "2026-11-09 23:59",
    }
    assert queue_numbers(page) == [older.number, newer.number]
    assert newer.events.filter(kind="urgent_withdrawn", by=operator).exists()


@pytest.mark.req("DEM-14")
def test_only_platform_or_station_staff_may_flag_and_a_reason_is_required(
    client_as, company, operator, station_staff, supervisor, labs
):
    client_as(company).post("/demands/new/", PIPE)
    demand = Demand.objects.get()
    data = {"version": demand.version, "reason": "加急"}

    by_client = client_as(company).post(f"/demands/{demand.number}/urgent/", data)
    by_client_api = client_as(company).post(f"/api/v1/demands/{demand.number}/urgent", data)
    by_supervisor = client_as(supervisor).post(f"/api/v1/demands/{demand.number}/urgent", data)
    blank = client_as(operator).post(
        f"/demands/{demand.number}/urgent/", {**data, "reason": " "}, follow=True
    )
    blank_api = client_as(operator).post(
        f"/api/v1/demands/{demand.number}/urgent", {**data, "reason": ""}
    )
    demand.refresh_from_db()
    assert (by_client.status_code, by_client_api.status_code) == (403, 403)
    assert by_supervisor.status_code == 403
    assert "只有平台工作人员或站点人员可以为需求申请加急" in by_client_api.json()["detail"]
    assert "加急原因：必须填写" in blank.content.decode()
    assert blank_api.status_code == 422
    assert blank_api.json()["errors"]["reason"] == ["加急原因：必须填写"]
    assert not demand.urgent and not demand.events.filter(kind="urgent_flagged").exists()

    by_station = client_as(station_staff).post(f"/api/v1/demands/{demand.number}/urgent", data)
    assert by_station.status_code == 200 and by_station.json()["urgent"] is True
    page = client_as(company).get("/demands/").content.decode()
    assert 'data-testid="urgent-badge"' in page
