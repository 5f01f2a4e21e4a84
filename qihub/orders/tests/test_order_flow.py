"""Orders on the one workflow mechanism: ordering from a demand's shortlist (page and API), the
service period as a declared clock, and the table's refusals (ORD-1, ORD-2, ORD-5, ORD-6,
DEM-5)."""

import datetime as dt

import pytest
import time_machine

from qihub.deadlines.models import ClockState
from qihub.deadlines.queries import clocks_for
from qihub.demands.models import Demand
from qihub.orders.models import Order
from qihub.orders.tests.helpers import order_from_shortlist, order_link, recommended_demand
from qihub.orders.tests.test_orders import service
from qihub.workcal.calendar import TZ
from qihub.workcal.services import load_calendar


@pytest.fixture
def pipe_lab(labs):
    return labs["无锡塑料制品检验所"]


def events(record) -> list[tuple[str, str, str]]:
    return [(e.kind, e.from_status, e.to_status) for e in record.events.all()]


def service_clock(order):
    return clocks_for(order).get(code="order_service")


@pytest.mark.req("ORD-1")
@pytest.mark.req("DEM-5")
def test_the_client_orders_from_the_shortlist_and_the_demand_follows_its_orders(
    client_as, company, pipe_lab, operator
):
    item = service(pipe_lab)
    demand = recommended_demand(client_as, company, pipe_lab, operator)
    ent, lab = client_as(company), client_as(pipe_lab.account)

    link = order_link(ent, demand, pipe_lab)
    form = ent.get(link).content.decode()
    response, order = order_from_shortlist(ent, demand, pipe_lab, "PE 管 3 组", 3)
    demand.refresh_from_db()
    demand_page = ent.get(f"/demands/{demand.number}/").content.decode()

    assert link == f"/orders/new/{item.pk}/?demand={demand.number}"
    assert 'data-testid="order-demand"' in form and demand.number in form
    assert response.status_code == 302 and order.demand == demand and order.service == item
    assert demand.status == "in_service" and demand.get_status_display() == "服务中"
    assert events(order) == [("placed", "", "placed")]
    assert events(demand)[-1] == ("ordered", "recommended", "in_service")
    assert order.number in demand_page and 'data-testid="demand-orders"' in demand_page

    lab.post(f"/orders/{order.number}/confirm/", {"version": order.version})
    order.refresh_from_db()
    lab.post(f"/orders/{order.number}/complete/", {"version": order.version, "note": "已出结果"})
    demand.refresh_from_db()

    assert demand.status == "completed" and demand.closed_at is not None
    assert events(demand)[-1] == ("completed", "in_service", "completed")
    assert events(order)[1:] == [
        ("accepted", "placed", "accepted"),
        ("completed", "accepted", "completed"),
    ]


@pytest.mark.req("ORD-1")
@pytest.mark.req("DEM-5")
def test_the_api_orders_from_the_shortlist_and_checks_the_demand(
    client_as, company, other_enterprise, pipe_lab, labs, operator
):
    other_enterprise.verified_at = company.verified_at
    other_enterprise.save(update_fields=["verified_at"])
    item = service(pipe_lab)
    other = service(labs["南京计量测试所"], name="压力表检定", category="metrology")
    demand = recommended_demand(client_as, company, pipe_lab, operator)
    ent = client_as(company)
    body = {"service": item.pk, "description": "PE 管", "quantity": 1}

    unknown = ent.post("/api/v1/orders", {**body, "demand": "XQ-2099-999999"})
    not_listed = ent.post("/api/v1/orders", {**body, "service": other.pk, "demand": demand.number})
    someone_else = client_as(other_enterprise).post(
        "/api/v1/orders", {**body, "demand": demand.number}
    )
    created = ent.post("/api/v1/orders", {**body, "demand": demand.number})
    demand.refresh_from_db()

    assert unknown.status_code == 409 and unknown.json()["detail"].startswith("关联需求")
    assert (
        not_listed.status_code == 409
        and "不在平台发送给您的推荐名单中" in (not_listed.json()["detail"])
    )
    assert someone_else.status_code == 409 and "不是您的需求" in someone_else.json()["detail"]
    assert created.status_code == 201 and created.json()["demand"] == demand.number
    assert Order.objects.get().demand == demand and demand.status == "in_service"


@pytest.mark.req("DEM-5")
def test_a_demand_whose_orders_all_fell_through_goes_back_to_its_shortlist(
    client_as, company, pipe_lab, operator
):
    service(pipe_lab)
    demand = recommended_demand(client_as, company, pipe_lab, operator)
    ent = client_as(company)
    _, order = order_from_shortlist(ent, demand, pipe_lab)

    ent.post(f"/orders/{order.number}/cancel/", {"version": order.version, "reason": "改期"})
    demand.refresh_from_db()
    order.refresh_from_db()

    assert order.status == "cancelled" and demand.status == "recommended"
    assert events(demand)[-1] == ("reopened", "in_service", "recommended")
    assert order_link(ent, demand, pipe_lab)  # the client may order again


@pytest.mark.req("DEM-5")
def test_without_a_fitting_service_item_the_shortlist_says_so_instead_of_offering_an_order(
    client_as, company, pipe_lab, operator
):
    service(pipe_lab, category="inspection", name="管材检验")
    demand = recommended_demand(client_as, company, pipe_lab, operator)
    page = client_as(company).get(f"/demands/{demand.number}/").content.decode()

    assert order_link(client_as(company), demand, pipe_lab) == ""
    assert "暂未发布“检验检测”类服务项目" in page


@pytest.mark.req("ORD-2")
@pytest.mark.req("ORD-6")
def test_the_service_period_is_a_clock_started_on_confirmation_and_stopped_on_completion(
    client_as, company, pipe_lab, station_staff
):
    item = service(pipe_lab, period_days=5)
    ent, lab = client_as(company), client_as(pipe_lab.account)
    ent.post(f"/orders/new/{item.pk}/", {"description": "PE 管", "quantity": 1})
    order = Order.objects.get()

    with time_machine.travel(dt.datetime(2026, 9, 25, 2, 0, tzinfo=dt.UTC), tick=False):
        lab.post(f"/orders/{order.number}/confirm/", {"version": order.version})
    order.refresh_from_db()
    clock = service_clock(order)
    # Fresh sessions: the ones above were last used in the travelled-to September.
    pages = [
        client_as(who).get(f"/orders/{order.number}/").content.decode()
        for who in (company, pipe_lab.account, station_staff)
    ]

    # 5 working days from Friday 25 September 2026: 28–30 September, then 8 and 9 October.
    assert clock.state == ClockState.RUNNING and clock.owner == pipe_lab.account
    assert clock.due_at.astimezone(TZ).date() == dt.date(2026, 10, 9)
    assert order.due_at == clock.due_at
    assert clock.events.get(kind="started").note == "订单服务周期（5个工作日）"
    for page in pages:
        assert 'data-testid="clock"' in page and "订单服务周期" in page and "10-09" in page

    client_as(pipe_lab.account).post(
        f"/orders/{order.number}/complete/", {"version": order.version}
    )
    clock.refresh_from_db()
    page = client_as(company).get(f"/orders/{order.number}/").content.decode()

    assert clock.state == ClockState.STOPPED and clock.events.filter(kind="stopped").exists()
    assert "按时办结" in page or "超时办结" in page


@pytest.mark.req("ORD-6")
def test_a_quoted_order_starts_its_clock_only_when_the_client_accepts_the_quote(
    client_as, company, pipe_lab
):
    item = service(pipe_lab, pricing="quote", price=None)
    ent, lab = client_as(company), client_as(pipe_lab.account)
    ent.post("/api/v1/orders", {"service": item.pk, "description": "PE 管", "quantity": 1})
    order = Order.objects.get()

    quoted = lab.post(
        f"/api/v1/orders/{order.number}/confirm",
        {"version": order.version, "price": "900", "period_days": "8"},
    )
    before = clocks_for(order).count()
    accepted = ent.post(f"/api/v1/orders/{order.number}/accept", {"version": order.version + 1})
    order.refresh_from_db()
    clock = service_clock(order)

    assert quoted.status_code == 200 and quoted.json()["status"] == "quoted" and before == 0
    assert accepted.status_code == 200 and accepted.json()["clocks"][0]["name"] == "订单服务周期"
    expected = load_calendar().add_working_days(clock.started_at, 8).at
    assert clock.due_at == expected and order.due_at == expected
    assert events(order) == [
        ("placed", "", "placed"),
        ("quoted", "placed", "quoted"),
        ("accepted", "quoted", "accepted"),
    ]


@pytest.mark.req("ORD-6")
def test_the_order_clock_is_recomputed_with_its_own_period_when_the_calendar_changes(
    client_as, company, pipe_lab, operator
):
    item = service(pipe_lab, period_days=10)
    with time_machine.travel(dt.datetime(2026, 12, 21, 2, 0, tzinfo=dt.UTC), tick=False):
        ent, lab = client_as(company), client_as(pipe_lab.account)  # sessions of that day
        ent.post(f"/orders/new/{item.pk}/", {"description": "PE 管", "quantity": 1})
        order = Order.objects.get()
        lab.post(f"/orders/{order.number}/confirm/", {"version": order.version})
        provisional = service_clock(order).provisional
        client_as(operator).post(
            "/ops/calendar/2027/official/", {"source_document": "通知", "confirm": "on"}
        )
    clock = service_clock(order)

    assert provisional and not clock.provisional
    assert clock.events.filter(kind="recomputed").exists()
    assert clock.due_at == load_calendar().add_working_days(clock.started_at, 10).at


@pytest.mark.req("ORD-2")
def test_the_complete_and_collection_actions_answer_in_the_api(
    client_as, company, pipe_lab, station_staff
):
    item = service(pipe_lab)
    ent, lab, window = client_as(company), client_as(pipe_lab.account), client_as(station_staff)
    number = ent.post(
        "/api/v1/orders", {"service": item.pk, "description": "PE 管", "quantity": 1}
    ).json()["number"]
    lab.post(f"/api/v1/orders/{number}/confirm", {"version": 1})

    no_report = window.post(
        f"/api/v1/orders/{number}/collection", {"collected_by": "王敏", "id_number": "3202111990"}
    )
    empty = lab.post(f"/api/v1/orders/{number}/complete", {})
    done = lab.post(f"/api/v1/orders/{number}/complete", {"version": 2, "note": "已出具纸质报告"})
    collected = window.post(
        f"/api/v1/orders/{number}/collection", {"collected_by": "", "id_number": ""}
    )

    assert no_report.status_code == 409  # not completed yet: the table refuses the move
    assert empty.status_code == 422 and "version" in empty.json()["errors"]
    assert done.status_code == 200 and done.json()["status"] == "completed"
    assert collected.status_code == 422
    assert set(collected.json()["errors"]) == {"collected_by", "id_number"}


@pytest.mark.req("ORD-2")
@pytest.mark.parametrize(
    ("who", "action", "data"),
    [
        ("company", "confirm", {}),
        ("institution_account", "cancel", {"reason": "不做了"}),
        ("station_staff", "complete", {}),
        ("station_staff", "accept", {}),
        ("company", "progress", {"note": "检测中"}),
        ("institution_account", "collection", {"collected_by": "王敏", "id_number": "32021119"}),
    ],
)
def test_non_parties_are_refused_403_with_nothing_changed(
    client_as, company, pipe_lab, station_staff, who, action, data
):
    item = service(pipe_lab)
    ent = client_as(company)
    ent.post(f"/orders/new/{item.pk}/", {"description": "PE 管", "quantity": 1})
    order = Order.objects.get()
    actor = {
        "company": company,
        "institution_account": pipe_lab.account,
        "station_staff": station_staff,
    }[who]
    body = {"version": order.version, **data}

    page = client_as(actor).post(f"/orders/{order.number}/{action}/", body)
    api = client_as(actor).post(f"/api/v1/orders/{order.number}/{action}", body)
    after = Order.objects.get()

    assert (page.status_code, api.status_code) == (403, 403)
    assert (after.status, after.version) == ("placed", order.version)
    assert events(after) == [("placed", "", "placed")]
    assert not clocks_for(after).exists()


@pytest.mark.req("ORD-2")
def test_people_who_may_not_see_the_order_get_404_on_page_and_api(
    client_as, company, other_enterprise, labs, pipe_lab
):
    item = service(pipe_lab)
    client_as(company).post(f"/orders/new/{item.pk}/", {"description": "PE 管", "quantity": 1})
    order = Order.objects.get()

    for stranger in (other_enterprise, labs["南京计量测试所"].account):
        page = client_as(stranger).post(f"/orders/{order.number}/confirm/", {"version": 1})
        api = client_as(stranger).post(f"/api/v1/orders/{order.number}/confirm", {"version": 1})
        assert (page.status_code, api.status_code) == (404, 404)
    assert Order.objects.get().status == "placed"


@pytest.mark.req("ORD-1")
def test_only_clients_may_place_orders_on_page_and_api(client_as, pipe_lab, station_staff):
    item = service(pipe_lab)

    page = client_as(station_staff).get(f"/orders/new/{item.pk}/")
    api = client_as(pipe_lab.account).post(
        "/api/v1/orders", {"service": item.pk, "description": "x", "quantity": 1}
    )

    assert page.status_code == 403 and api.status_code == 403
    assert api.json()["detail"] == "只有企业或个人用户可以下单"
    assert not Order.objects.exists() and not Demand.objects.exists()
