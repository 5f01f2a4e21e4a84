"""The green channel on orders (DEM-14): ordered urgent, the service clock is at most 3 working
days; staff flag an order urgent later with a reason and it comes first in the lists."""

import datetime as dt
import re

import pytest
import time_machine

from qihub.orders.models import Order
from qihub.orders.tests.test_orders import service

CST = dt.timezone(dt.timedelta(hours=8))
MONDAY = dt.datetime(2026, 11, 2, 10, 0, tzinfo=CST)


@pytest.fixture
def pipe_lab(labs):
    return labs["无锡塑料制品检验所"]


def due_day(order: Order) -> dt.date:
    order.refresh_from_db()
    return order.due_at.astimezone(CST).date()


@pytest.mark.req("DEM-14")
def test_an_urgent_order_runs_on_the_shorter_service_clock(client_as, company, pipe_lab):
    item = service(pipe_lab)  # agreed period: 5 working days
    with time_machine.travel(MONDAY, tick=False):
        bad = client_as(company).post(
            f"/orders/new/{item.pk}/", {"description": "PE 管 3 组", "quantity": 1, "urgent": "on"}
        )
        placed = client_as(company).post(
            f"/orders/new/{item.pk}/",
            {"description": "PE 管 3 组", "quantity": 1, "urgent": "on", "urgent_reason": "停线"},
        )
        order = Order.objects.get()
        client_as(pipe_lab.account).post(
            f"/orders/{order.number}/confirm/", {"version": order.version}
        )
        api = client_as(company).get(f"/api/v1/orders/{order.number}").json()

    assert bad.status_code == 400 and "加急原因：申请加急时必须填写" in bad.content.decode()
    assert placed.status_code == 302
    # Urgent: 3 working days from Monday → Thursday (the agreed 5 would be next Monday).
    assert due_day(order) == dt.date(2026, 11, 5)
    assert (api["urgent"], api["urgent_reason"]) == (True, "停线")


@pytest.mark.req("DEM-14")
def test_staff_flag_an_order_urgent_and_it_leads_the_institutions_list(
    client_as, company, operator, pipe_lab
):
    item = service(pipe_lab)
    with time_machine.travel(MONDAY, tick=False):
        for text in ("第一批", "第二批"):
            client_as(company).post(f"/orders/new/{item.pk}/", {"description": text, "quantity": 1})
        first, second = Order.objects.order_by("pk")
        for order in (first, second):
            client_as(pipe_lab.account).post(
                f"/orders/{order.number}/confirm/", {"version": order.version}
            )
    assert due_day(first) == dt.date(2026, 11, 9)

    with time_machine.travel(MONDAY + dt.timedelta(hours=1), tick=False):
        refused = client_as(company).post(
            f"/api/v1/orders/{first.number}/urgent", {"version": 2, "reason": "急"}
        )
        first.refresh_from_db()
        flagged = client_as(operator).post(
            f"/orders/{first.number}/urgent/", {"version": first.version, "reason": "抽检急需"}
        )
        listed = client_as(pipe_lab.account).get("/institution/orders/").content.decode()

    assert refused.status_code == 403
    assert flagged.status_code == 302 and due_day(first) == dt.date(2026, 11, 5)
    numbers = re.findall(r'data-number="(DD-[^"]+)"', listed)
    assert numbers[0] == first.number and 'data-testid="urgent-badge"' in listed
    assert first.events.filter(kind="urgent_flagged", by=operator).exists()

    with time_machine.travel(MONDAY + dt.timedelta(hours=2), tick=False):
        first.refresh_from_db()
        client_as(operator).post(
            f"/orders/{first.number}/unurgent/", {"version": first.version, "reason": "已协调"}
        )
    assert due_day(first) == dt.date(2026, 11, 9)
