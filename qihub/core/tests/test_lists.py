"""The list building block (issue 15): pagination, sorting by a header, filters, the empty state
and no N+1, driven through the orders list pages as a client and an institution use them."""

# ruff: noqa: F811 - the fixtures imported below are parameters of the tests
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from qihub.demands.models import Demand
from qihub.demands.tests.conftest import company, labs  # noqa: F401 - shared fixtures
from qihub.orders import workflow
from qihub.orders.models import Order
from qihub.orders.tests.helpers import PIPE
from qihub.orders.tests.test_orders import pipe_lab, service  # noqa: F401 - shared fixture


def place_orders(company, lab, count: int) -> list[Order]:
    item = service(lab)
    item.refresh_from_db()  # the price as the database keeps it (a Decimal)
    return [
        workflow.place(
            client=company, service=item, demand=None, description=f"第 {i} 批", quantity=1
        )
        for i in range(count)
    ]


def row_numbers(page: str) -> list[str]:
    body = page.split('data-testid="orders"')[1].split("</table>")[0]
    return re.findall(r'href="/orders/(DD-[^/"]+)/"', body)


def test_a_long_list_is_paginated_in_chinese(client_as, company, pipe_lab):
    place_orders(company, pipe_lab, 21)
    ent = client_as(company)

    first = ent.get("/orders/").content.decode()
    second = ent.get("/orders/?page=2").content.decode()

    assert len(row_numbers(first)) == 20 and "第 1 页，共 21 条" in first
    assert 'href="?page=2">下一页</a>' in first
    assert len(row_numbers(second)) == 1 and "第 2 页，共 21 条" in second
    assert "上一页" in second
    assert set(row_numbers(first)).isdisjoint(row_numbers(second))


def test_clicking_a_header_sorts_the_list(client_as, company, pipe_lab):
    orders = place_orders(company, pipe_lab, 3)
    ent = client_as(company)
    numbers = sorted(o.number for o in orders)

    page = ent.get("/orders/").content.decode()
    link = re.search(r'<a href="(\?sort=number)"[^>]*>订单', page)
    ascending = ent.get(f"/orders/{link.group(1)}").content.decode()
    descending = ent.get("/orders/?sort=-number").content.decode()

    assert row_numbers(page) == numbers[::-1]  # newest first, as before
    assert row_numbers(ascending) == numbers
    assert row_numbers(descending) == numbers[::-1]
    assert 'href="?sort=-number"' in ascending  # clicking again reverses


def test_a_filter_narrows_the_list_and_bad_input_names_the_field(client_as, company, pipe_lab):
    first, second = place_orders(company, pipe_lab, 2)
    lab = client_as(pipe_lab.account)
    lab.post(f"/orders/{first.number}/confirm/", {"version": first.version})

    everything = lab.get("/institution/orders/").content.decode()
    accepted = lab.get("/institution/orders/?status=accepted").content.decode()
    by_number = lab.get(f"/institution/orders/?number={second.number[-4:]}").content.decode()
    bad = lab.get("/institution/orders/?status=nonsense")
    none_match = lab.get("/institution/orders/?number=无此编号").content.decode()

    assert "筛选" in everything and "重置" in everything
    assert set(row_numbers(everything)) == {first.number, second.number}
    assert row_numbers(accepted) == [first.number]
    assert second.number in row_numbers(by_number)
    assert bad.status_code == 200
    assert re.search(r'data-field="status">[^<]*选择一个有效的选项', bad.content.decode())
    assert "没有符合条件的记录" in none_match and "重置筛选" in none_match


def test_an_empty_list_offers_the_next_action(client_as, company):
    page = client_as(company).get("/orders/").content.decode()

    assert 'data-testid="empty-state"' in page and "暂无订单" in page
    assert re.search(r'href="/search/"[^>]*data-testid="empty-action">去找服务', page)


def test_the_orders_list_makes_no_query_per_row(client_as, company, pipe_lab):
    ent = client_as(company)
    orders = place_orders(company, pipe_lab, 2)
    ent.get("/orders/")  # the first request of a session reads more (the session, caches)
    with CaptureQueriesContext(connection) as few:
        ent.get("/orders/")
    place_orders(company, pipe_lab, 12)
    with CaptureQueriesContext(connection) as many:
        page = ent.get("/orders/").content.decode()

    assert orders[0].number in page
    assert len(many) == len(few)


def test_the_demand_queue_filters_by_region_with_the_region_picker(client_as, company, operator):
    client_as(company).post("/demands/new/", PIPE)  # a demand in 无锡市滨湖区 (320211)
    number = Demand.objects.get(client=company).number
    desk = client_as(operator)

    jiangsu = desk.get("/ops/demands/?region=320000").content.decode()
    wuxi = desk.get("/ops/demands/?region=320000&region=320200").content.decode()
    beijing = desk.get("/ops/demands/?region=110000").content.decode()
    bad = desk.get("/ops/demands/?region=999999")

    assert "data-region-picker" in jiangsu  # the picker, not a text box
    assert f'data-number="{number}"' in jiangsu and f'data-number="{number}"' in wuxi
    assert f'data-number="{number}"' not in beijing and "没有符合条件的记录" in beijing
    assert bad.status_code == 200
    assert "地区：没有这个行政区划，请从列表中选择" in bad.content.decode()
