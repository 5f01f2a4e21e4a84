"""Ordering a service from an institution and following it (ORD-1, ORD-2, ORD-6)."""

import datetime as dt

import pytest
import time_machine

from qihub.institutions.models import InstitutionService, Qualification
from qihub.orders.models import Order

FIXED = {
    "name": "塑料管材静液压强度检测",
    "category": "testing",
    "description": "按 GB/T 6111",
    "period_days": 5,
    "pricing": "fixed",
    "price": "800.00",
    "price_unit": "组",
}


def service(lab, **changes):
    data = {**FIXED, **changes}
    return InstitutionService.objects.create(organisation=lab, **data)


@pytest.fixture
def pipe_lab(labs):
    return labs["无锡塑料制品检验所"]


@pytest.mark.req("ORD-1")
def test_searching_needs_no_account_but_ordering_asks_to_log_in(client, pipe_lab):
    item = service(pipe_lab)

    profile = client.get(f"/institutions/{pipe_lab.uscc}/")
    order_page = client.get(f"/orders/new/{item.pk}/")

    assert profile.status_code == 200 and f"/orders/new/{item.pk}/" in profile.content.decode()
    assert order_page.status_code == 302 and order_page["Location"].startswith("/accounts/login/")


@pytest.mark.req("ORD-1")
@pytest.mark.req("ORD-6")
def test_a_member_orders_a_fixed_price_service_and_the_institution_confirms(
    client_as, company, pipe_lab
):
    item = service(pipe_lab)
    ent, lab = client_as(company), client_as(pipe_lab.account)

    response = ent.post(f"/orders/new/{item.pk}/", {"description": "PE 管 3 组", "quantity": 2})
    order = Order.objects.get()
    with time_machine.travel(dt.datetime(2026, 9, 25, 2, 0, tzinfo=dt.UTC), tick=False):
        lab.post(f"/orders/{order.number}/confirm/", {"version": order.version})
    order.refresh_from_db()

    assert response.status_code == 302 and order.number.startswith("DD-")
    assert (order.free, order.price) == (False, 1600)
    assert order.status == "accepted"
    # 5 working days from Friday 25 September 2026: 28–30 September, then 8 and 9 October.
    assert order.due_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date() == dt.date(
        2026, 10, 9
    )


@pytest.mark.req("ORD-6")
def test_free_public_interest_services_are_marked_free_everywhere(client_as, company, pipe_lab):
    item = service(pipe_lab, pricing="free", price=None, name="检测政策咨询")

    client_as(company).post(f"/orders/new/{item.pk}/", {"description": "咨询", "quantity": 1})
    order = Order.objects.get()
    page = client_as(company).get(f"/orders/{order.number}/").content.decode()

    assert order.free and order.price == 0
    assert "免费" in page
    assert (
        "（公益服务，不收费）" in client_as(company).get(f"/orders/new/{item.pk}/").content.decode()
    )


@pytest.mark.req("ORD-2")
def test_a_quoted_order_progresses_visibly_for_client_institution_and_station(
    client_as, company, pipe_lab, station_staff
):
    item = service(pipe_lab, pricing="quote", price=None)
    ent, lab = client_as(company), client_as(pipe_lab.account)
    ent.post(f"/orders/new/{item.pk}/", {"description": "送检 PE 管", "quantity": 1})
    order = Order.objects.get()

    no_price = lab.post(f"/orders/{order.number}/confirm/", {"version": order.version}, follow=True)
    lab.post(
        f"/orders/{order.number}/confirm/",
        {"version": order.version, "price": "1200", "period_days": "7"},
    )
    order.refresh_from_db()
    ent.post(f"/orders/{order.number}/accept/", {"version": order.version})
    lab.post(f"/orders/{order.number}/progress/", {"note": "样品已接收，检测中"})
    order.refresh_from_db()

    assert "按需报价的服务须填写大于 0 的价格" in no_price.content.decode()
    assert order.status == "accepted" and order.price == 1200 and order.period_days == 7
    for viewer in (ent, lab, client_as(station_staff)):
        page = viewer.get(f"/orders/{order.number}/").content.decode()
        assert "样品已接收，检测中" in page and "报价 ¥1,200.00" in page


@pytest.mark.req("ORD-1")
def test_ordering_from_an_institution_whose_qualification_has_expired_is_refused(
    client_as, company, pipe_lab
):
    item = service(pipe_lab)
    Qualification.objects.filter(organisation=pipe_lab).update(valid_until=dt.date(2020, 1, 1))

    page = client_as(company).get(f"/orders/new/{item.pk}/").content.decode()
    response = client_as(company).post(
        f"/orders/new/{item.pk}/", {"description": "x", "quantity": 1}
    )

    assert "当前没有有效资质" in page
    assert response.status_code == 400 and "当前没有有效资质" in response.content.decode()
    assert not Order.objects.exists()


@pytest.mark.req("ORD-1")
def test_ordering_a_service_outside_the_institutions_scope_is_refused(client_as, company, pipe_lab):
    item = service(pipe_lab, category="certification", name="体系认证")

    response = client_as(company).post(
        f"/orders/new/{item.pk}/", {"description": "x", "quantity": 1}
    )

    assert (
        response.status_code == 400
        and "资质能力范围不包含“认证认可”类服务" in response.content.decode()
    )


@pytest.mark.req("ORD-2")
def test_orders_are_visible_only_to_their_parties(
    client_as, company, other_enterprise, labs, pipe_lab
):
    item = service(pipe_lab)
    client_as(company).post(f"/orders/new/{item.pk}/", {"description": "x", "quantity": 1})
    order = Order.objects.get()

    assert client_as(other_enterprise).get(f"/orders/{order.number}/").status_code == 404
    assert (
        client_as(labs["南京计量测试所"].account).get(f"/orders/{order.number}/").status_code == 404
    )
    assert order.number in client_as(pipe_lab.account).get("/institution/orders/").content.decode()


@pytest.mark.req("ORD-2")
def test_the_second_of_two_concurrent_confirmations_is_told_it_was_handled(
    client_as, company, pipe_lab
):
    item = service(pipe_lab)
    client_as(company).post(f"/orders/new/{item.pk}/", {"description": "x", "quantity": 1})
    order = Order.objects.get()
    lab = client_as(pipe_lab.account)

    lab.post(f"/orders/{order.number}/confirm/", {"version": order.version})
    second = lab.post(f"/orders/{order.number}/confirm/", {"version": order.version}, follow=True)

    assert "已被他人处理" in second.content.decode()
    assert order.events.filter(kind="accepted").count() == 1


@pytest.mark.req("ORD-1")
@pytest.mark.req("ORD-2")
def test_the_api_orders_and_confirms_with_the_same_rules(client_as, company, pipe_lab):
    item = service(pipe_lab)
    ent, lab = client_as(company), client_as(pipe_lab.account)

    created = ent.post(
        "/api/v1/orders", {"service": item.pk, "description": "PE 管", "quantity": 1}
    )
    number = created.json()["number"]
    bad = ent.post("/api/v1/orders", {"service": item.pk, "description": "", "quantity": 0})
    by_client = ent.post(f"/api/v1/orders/{number}/confirm", {"version": 1})
    confirmed = lab.post(f"/api/v1/orders/{number}/confirm", {"version": 1})

    assert created.status_code == 201 and created.json()["price"] == "800.00"
    assert bad.status_code == 422 and {"description", "quantity"} <= set(bad.json()["errors"])
    assert by_client.status_code == 403 and "只有接单机构" in by_client.json()["detail"]
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "accepted"
    assert [o["number"] for o in lab.get("/api/v1/orders").json()] == [number]
