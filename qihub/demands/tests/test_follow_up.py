"""The follow-up schedule of a demand in service (DEM-7): points on the clock engine, reminders
to the first responsible person, a follow-up record that meets the point and sets the next."""

import datetime as dt

import pytest
import time_machine

from qihub.deadlines.models import Clock, ClockState
from qihub.deadlines.workflow import sweep
from qihub.notifications.models import Notification
from qihub.orders.tests.helpers import order_from_shortlist, recommended_demand
from qihub.orders.tests.test_orders import service
from qihub.workcal.calendar import TZ

# A Monday morning: five working days later is the next Monday, with no holiday between.
START = dt.datetime(2026, 3, 2, 10, 0, tzinfo=TZ)


def in_service(client_as, company, lab, operator):
    service(lab)
    with time_machine.travel(START, tick=False):
        demand = recommended_demand(client_as, company, lab, operator)
        order_from_shortlist(client_as(company), demand, lab)
    demand.refresh_from_db()
    assert demand.status == "in_service"
    return demand


def follow_up_clocks():
    return Clock.objects.filter(code="demand_follow_up").order_by("started_at", "id")


@pytest.mark.req("DEM-7")
def test_entering_service_schedules_a_follow_up_that_reminds_the_first_responsible_person(
    client_as, company, operator, labs
):
    demand = in_service(client_as, company, labs["无锡塑料制品检验所"], operator)

    clock = follow_up_clocks().get()
    assert clock.owner == operator and demand.follow_up_days == 5
    assert clock.due_at.astimezone(TZ).date() == dt.date(2026, 3, 9)

    with time_machine.travel(dt.datetime(2026, 3, 6, 10, 0, tzinfo=TZ), tick=False):
        sweep()
        early = Notification.objects.filter(recipient=operator, subject="需求跟踪回访即将到期")
        assert not early.exists()
    with time_machine.travel(dt.datetime(2026, 3, 9, 10, 0, tzinfo=TZ), tick=False):
        sweep()
        due_page = client_as(operator).get("/ops/demands/follow-ups/").content.decode()
    assert Notification.objects.filter(recipient=operator, subject="需求跟踪回访即将到期").exists()
    assert demand.number in due_page and 'data-testid="follow-up-overdue"' not in due_page

    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=TZ), tick=False):
        sweep()
        late_page = client_as(operator).get("/ops/demands/follow-ups/").content.decode()
        bench = client_as(operator).get("/accounts/workbench/").content.decode()
    assert 'data-testid="follow-up-overdue"' in late_page and "已超期" in late_page
    card = bench[bench.index('href="/ops/demands/follow-ups/"') :].split("</a>")[0]
    assert "待跟进 1" in card and "超时 1" in card


@pytest.mark.req("DEM-7")
def test_a_follow_up_record_meets_the_point_and_schedules_the_next(
    client_as, company, operator, labs
):
    demand = in_service(client_as, company, labs["无锡塑料制品检验所"], operator)
    staff = client_as(operator)

    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=TZ), tick=False):
        sweep()
        before = staff.get("/api/v1/demands/follow-ups").json()
        staff.post(
            f"/demands/{demand.number}/contact/",
            {
                "kind": "follow_up",
                "method": "电话",
                "with_whom": "企业质量负责人",
                "summary": "样品已送达，机构反馈下周出报告；企业询问加做纵向回缩率，已协调机构报价",
            },
        )
        after = staff.get("/api/v1/demands/follow-ups").json()
        page = staff.get("/ops/demands/follow-ups/").content.decode()

    first, second = follow_up_clocks()
    assert first.state == ClockState.STOPPED and first.stopped_at > first.due_at
    assert second.state == ClockState.RUNNING and second.owner == operator
    assert second.due_at.astimezone(TZ).date() == dt.date(2026, 3, 17)
    assert [(r["number"], r["overdue"]) for r in before] == [(demand.number, True)]
    assert [(r["number"], r["overdue"]) for r in after] == [(demand.number, False)]
    assert after[0]["last_contact_at"] is not None
    assert 'data-testid="follow-up-overdue"' not in page and demand.number in page
    detail = client_as(company).get(f"/demands/{demand.number}/").content.decode()
    assert "加做纵向回缩率" in detail and "需求跟踪回访" in detail


@pytest.mark.req("DEM-7")
def test_the_client_cannot_meet_a_follow_up_point_and_finishing_the_service_ends_it(
    client_as, company, operator, labs
):
    lab = labs["无锡塑料制品检验所"]
    demand = in_service(client_as, company, lab, operator)
    client_as(company).post(
        f"/demands/{demand.number}/contact/",
        {"kind": "follow_up", "method": "电话", "with_whom": "平台", "summary": "请尽快出报告"},
    )
    assert follow_up_clocks().get().state == ClockState.RUNNING
    refused = client_as(company).get("/api/v1/demands/follow-ups")

    order = demand.orders.get()
    inst = client_as(lab.account)
    inst.post(f"/orders/{order.number}/confirm/", {"version": order.version})
    order.refresh_from_db()
    inst.post(f"/orders/{order.number}/complete/", {"version": order.version, "note": "已出结果"})

    demand.refresh_from_db()
    assert demand.status == "completed"
    assert follow_up_clocks().get().state == ClockState.STOPPED
    assert refused.status_code == 403
    page = client_as(operator).get("/ops/demands/follow-ups/").content.decode()
    assert demand.number not in page and "暂无待跟进的需求" in page


@pytest.mark.req("DEM-7")
def test_the_follow_up_list_shows_each_demands_latest_contact(client_as, company, operator, labs):
    """The 最近沟通 column is read for the whole page at once (B11): it must still be the
    latest contact of each demand, not the first or another demand's."""
    demand = in_service(client_as, company, labs["无锡塑料制品检验所"], operator)
    contact = {"method": "电话", "with_whom": "平台", "summary": "询问报告进度"}
    with time_machine.travel(dt.datetime(2026, 3, 3, 10, 0, tzinfo=TZ), tick=False):
        client_as(company).post(
            f"/demands/{demand.number}/contact/", {**contact, "kind": "contact"}
        )
    staff = client_as(operator)
    with time_machine.travel(dt.datetime(2026, 3, 4, 10, 0, tzinfo=TZ), tick=False):
        staff.post(
            f"/demands/{demand.number}/contact/",
            {**contact, "kind": "coordination", "with_whom": "企业质量负责人"},
        )
        page = staff.get("/ops/demands/follow-ups/").content.decode()
        rows = staff.get("/api/v1/demands/follow-ups").json()

    assert "2026-03-04 问题协调" in page and "2026-03-03 沟通记录" not in page
    assert [r["last_contact_at"][:10] for r in rows] == ["2026-03-04"]
