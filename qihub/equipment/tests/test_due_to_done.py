"""From due to done (ENT-1): ticked due instruments → one demand in the enterprise's region →
the institution's report on the order placed from it closes the schedules."""

import datetime as dt

import pytest
import time_machine

from qihub.core.testing import institution
from qihub.demands.models import Demand
from qihub.equipment.models import Certificate, Item, Schedule
from qihub.orders.models import Order
from qihub.orders.tests.test_reports import institution_pdf, upload

pytestmark = pytest.mark.django_db
CST = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 6, 2, 10, 0, tzinfo=CST)  # a Tuesday


def add(web, name: str, serial: str, due: str, kind: str = "verification", cycle: int = 12):
    web.post(
        "/equipment/instruments/new/",
        {
            "name": name,
            "serial": serial,
            "kind": kind,
            "cycle_months": str(cycle),
            "due_on": due,
            "levels": "30,15,0",
            "compulsory": "on",
        },
    )
    return Item.objects.get(serial=serial)


@pytest.mark.req("ENT-1")
@time_machine.travel(NOW, tick=False)
def test_due_instruments_become_one_demand_and_the_report_closes_their_schedules(
    client_as, company, operator
):
    lab = institution("无锡滨湖计量检定所")
    web = client_as(company)
    gauge = add(web, "压力表", "P1", "2026-06-20")
    scale = add(web, "电子秤", "S1", "2026-05-30", kind="calibration", cycle=6)
    fresh = add(web, "温度计", "T1", "2027-01-01")

    ledger = web.get("/equipment/instruments/").content.decode()
    answer = web.post("/equipment/request/", {"items": [gauge.pk, scale.pk, fresh.pk]})
    demand = Demand.objects.get()
    again = web.post("/equipment/request/", {"items": [gauge.pk]}, follow=True)

    # The platform recommends the institution; the enterprise orders from the shortlist.
    staff = client_as(operator)
    staff.post(f"/demands/{demand.number}/respond/", {"version": demand.version})
    demand.refresh_from_db()
    staff.post(
        f"/demands/{demand.number}/shortlist/",
        {"version": demand.version, "included": [], "add": lab.name},
    )
    demand.refresh_from_db()
    staff.post(f"/demands/{demand.number}/send/", {"version": demand.version})
    service = lab.services.get()
    web.post(
        f"/orders/new/{service.pk}/",
        {"description": "压力表、电子秤各 1 台", "quantity": 2, "demand": demand.number},
    )
    order = Order.objects.get()
    institution_web = client_as(lab.account)
    institution_web.post(f"/orders/{order.number}/confirm/", {"version": order.version})
    order.refresh_from_db()
    institution_web.post(
        f"/orders/{order.number}/report/",
        {"version": order.version, "report": upload(institution_pdf()), "conclusion": "合格"},
    )
    order.refresh_from_db()
    page = web.get(f"/equipment/{gauge.pk}/").content.decode()

    assert ledger.count('data-testid="pick"') == 2  # only the due ones can be ticked
    assert answer.status_code == 302 and answer["Location"] == f"/demands/{demand.number}/"
    assert demand.region == "320211" and demand.category == "metrology"
    assert "压力表" in demand.description and "电子秤" in demand.description
    assert "温度计" not in demand.description
    assert "没有即将到期或已超期、尚未提出需求的检定/校准" in again.content.decode()
    assert order.status == "completed" and order.demand_id == demand.pk
    gauge_schedule = Schedule.objects.get(item=gauge)
    scale_schedule = Schedule.objects.get(item=scale)
    assert gauge_schedule.due_on == dt.date(2027, 6, 2) and gauge_schedule.demand is None
    assert scale_schedule.due_on == dt.date(2026, 12, 2)
    assert Schedule.objects.get(item=fresh).due_on == dt.date(2027, 1, 1)
    number = order.report.number
    assert set(Certificate.objects.values_list("number", flat=True)) == {number}
    assert Certificate.objects.count() == 2
    assert number in page and "2027-06-02" in page and "无锡滨湖计量检定所" in page


@pytest.mark.req("ENT-1")
@time_machine.travel(NOW, tick=False)
def test_nothing_ticked_or_nothing_due_is_refused_in_chinese(client_as, company):
    web = client_as(company)
    fresh = add(web, "温度计", "T1", "2027-01-01")

    none = web.post("/equipment/request/", {}, follow=True).content.decode()
    not_due = web.post("/equipment/request/", {"items": [fresh.pk]}, follow=True).content.decode()

    assert "计量器具：请先勾选要送检的器具" in none
    assert "没有即将到期或已超期" in not_due
    assert not Demand.objects.exists()
