"""申请绿色通道检验 (ENT-2, LYG 6.3.5.1): from a special-equipment item of the ledger, an urgent
inspection demand in the enterprise's region listing the item, with its reason (DEM-14)."""

import datetime as dt

import pytest
import time_machine

from qihub.deadlines.models import Clock
from qihub.demands.models import Demand
from qihub.equipment.models import Item

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
@pytest.mark.req("DEM-14")
@time_machine.travel(NOW, tick=False)
def test_the_green_channel_publishes_an_urgent_inspection_demand_for_the_item(
    client_as, company, lift
):
    web = client_as(company)
    page = web.get(f"/equipment/{lift.pk}/").content.decode()
    blank = web.post(f"/equipment/{lift.pk}/green-channel/", {"reason": "  "})
    asked = web.post(f"/equipment/{lift.pk}/green-channel/", {"reason": "检修后急需复检投产"})

    demand = Demand.objects.get()
    assert "申请绿色通道检验" in page
    assert blank.status_code == 400 and "加急原因：必须填写" in blank.content.decode()
    assert asked.status_code == 302 and asked["Location"] == f"/demands/{demand.number}/"
    assert demand.urgent and demand.urgent_reason == "检修后急需复检投产"
    assert demand.region == "320211" and demand.category == "special_equipment"
    assert "货梯一号" in demand.description and "检修后急需复检投产" in demand.description
    assert lift.schedules.get().demand == demand
    # The urgent response clock: the same day.
    response = Clock.objects.get(code="demand_response", object_id=str(demand.pk))
    assert response.due_at.astimezone(NOW.tzinfo).date() == NOW.date()
    # The item's inspection is now under way: a second request is refused with the reason.
    again = web.post(f"/equipment/{lift.pk}/green-channel/", {"reason": "再次"}, follow=True)
    assert "检验已在办理中" in again.content.decode() and Demand.objects.count() == 1


@pytest.mark.req("ENT-2")
def test_the_special_equipment_guide_names_the_three_level_warning(client):
    from qihub.catalog.models import ServiceItem

    item = ServiceItem.objects.get(code="special-equipment-inspection")
    guide = item.guides.order_by("-version").first()
    assert guide.time_limit.startswith("到期前 60 天、30 天、7 天三级预警")
    page = client.get(f"/services/{item.code}/").content.decode()
    assert "到期前 60 天、30 天、7 天三级预警" in page and "30 天起预警" not in page
