"""Hazard self-check of special equipment (ENT-2): unmet points become findings; a finding is
fixed by the enterprise or handed to the platform as a demand for rectification help."""

import datetime as dt

import pytest
import time_machine

from qihub.demands.models import Demand
from qihub.equipment.models import Finding, Item

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 2, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def lift(client_as, company):
    with time_machine.travel(NOW, tick=False):
        client_as(company).post(
            "/equipment/special/new/",
            {
                "kind": "lift",
                "name": "货梯一号",
                "registration_no": "31103202112026000002",
                "keeper": "赵师傅",
                "cycle_months": "12",
                "due_on": "2026-12-01",
                "levels": "60,30,7",
            },
        )
    return Item.objects.get()


@pytest.mark.req("ENT-2")
@time_machine.travel(NOW, tick=False)
def test_a_self_check_records_findings_one_fixed_one_handed_to_the_platform(
    client_as, company, lift
):
    web = client_as(company)
    web.post(
        f"/equipment/{lift.pk}/self-checks/",
        {"unmet": ["operators", "emergency"], "note": "年中自查"},
    )
    operators, emergency = Finding.objects.order_by("id")
    web.post(f"/equipment/{lift.pk}/findings/{operators.pk}/fixed/")
    helped = web.post(f"/equipment/{lift.pk}/findings/{emergency.pk}/help/")
    again = web.post(f"/equipment/{lift.pk}/findings/{emergency.pk}/help/", follow=True)
    bad = web.post(f"/equipment/{lift.pk}/self-checks/", {"unmet": ["rocket"]})
    page = web.get(f"/equipment/{lift.pk}/").content.decode()

    demand = Demand.objects.get()
    operators.refresh_from_db()
    assert operators.fixed_on == dt.date(2026, 6, 2)
    assert helped["Location"] == f"/demands/{demand.number}/"
    assert demand.category == "special_equipment" and demand.region == "320211"
    assert "有应急预案并按期演练" in demand.description and "货梯一号" in demand.description
    assert "已整改或已申请协助" in again.content.decode() and Demand.objects.count() == 1
    assert bad.status_code == 400 and "请从列表中选择" in bad.content.decode()
    assert "作业人员持证上岗（不符合）" in page and "已整改" in page
    assert f"已申请整改协助 {demand.number}" in page


@pytest.mark.req("ENT-2")
@time_machine.travel(NOW, tick=False)
def test_a_clean_self_check_and_no_self_check_on_instruments(client_as, company, lift):
    web = client_as(company)
    web.post(
        "/equipment/instruments/new/",
        {
            "name": "压力表",
            "serial": "P",
            "kind": "verification",
            "cycle_months": "6",
            "due_on": "2026-12-01",
            "levels": "30,15,0",
        },
    )
    gauge = Item.objects.get(kind="instrument")

    clean = web.post(f"/equipment/{lift.pk}/self-checks/", {"note": ""}, follow=True)
    refused = web.post(f"/equipment/{gauge.pk}/self-checks/", {"unmet": ["operators"]})

    assert "自查已记录，未发现隐患" in clean.content.decode()
    assert refused.status_code == 404
    assert not Finding.objects.exists()
