"""Statistics under a stream of writes (issue 23): when the figures of a period are stale, one
visitor at a time recomputes them and the others are served the previous ones; a visitor who
comes after a write alone still sees it (EVAL-6)."""

import datetime as dt
import threading

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client

from qihub.evaluations import statistics
from qihub.evaluations.tests.helpers import served_order
from qihub.evaluations.tests.test_statistics import quarter_query
from qihub.evaluations.tests.test_statistics_volume import platform_orders
from qihub.orders.tests.test_orders import service

# Long enough for a loaded machine, short enough that a wrong wait fails the test quickly.
WAIT = 60


def order_one_more(client_as, company, lab) -> None:
    made = client_as(company).post(
        f"/orders/new/{service(lab).pk}/", {"description": "PE 管", "quantity": 1}
    )
    assert made.status_code == 302


def counted_compute(monkeypatch) -> list[tuple[str, int]]:
    """Every computation from here on, as (grouping, thread)."""
    calls: list[tuple[str, int]] = []
    real = statistics.compute

    def compute(period: statistics.Period, grouping: str = "platform") -> list:
        calls.append((grouping, threading.get_ident()))
        return real(period, grouping)

    monkeypatch.setattr(statistics, "compute", compute)
    return calls


@pytest.mark.req("EVAL-6")
@pytest.mark.django_db(transaction=True)
def test_two_visitors_after_a_write_one_recomputes_the_other_is_served_the_old_figures(
    client_as, company, labs, monkeypatch
):
    lab = labs["无锡塑料制品检验所"]
    served_order(client_as, company, lab, overall=4)
    query = quarter_query()
    assert platform_orders(Client().get(f"/statistics/?{query}").content.decode()) == 1
    order_one_more(client_as, company, lab)  # the figures are stale now
    main, real = threading.get_ident(), statistics.compute
    calls: list[tuple[str, int]] = []
    started, release = threading.Event(), threading.Event()

    def compute(period: statistics.Period, grouping: str = "platform") -> list:
        calls.append((grouping, threading.get_ident()))
        if grouping == "platform" and threading.get_ident() != main:
            # The first visitor is held inside its computation while the second one comes.
            started.set()
            assert release.wait(WAIT)
        return real(period, grouping)

    monkeypatch.setattr(statistics, "compute", compute)
    first_page: list[str] = []

    def first_visitor() -> None:
        try:
            first_page.append(Client().get(f"/statistics/?{query}").content.decode())
        finally:
            connection.close()

    thread = threading.Thread(target=first_visitor)
    thread.start()
    try:
        assert started.wait(WAIT)
        second_page = Client().get(f"/statistics/?{query}").content.decode()
    finally:
        release.set()
        thread.join(WAIT)

    platform_runs = [c for c in calls if c[0] == "platform"]
    assert len(platform_runs) == 1 and platform_runs[0][1] == thread.ident
    assert platform_orders(second_page) == 1  # the previous figures, not a second computation
    assert platform_orders(first_page[0]) == 2  # the one who recomputed sees the write
    # Once the computation is done, every visitor gets the new figures without computing.
    third_page = Client().get(f"/statistics/?{query}").content.decode()
    assert platform_orders(third_page) == 2
    assert len([c for c in calls if c[0] == "platform"]) == 1


@pytest.mark.req("EVAL-6")
def test_a_lock_left_by_a_dead_process_expires(client_as, company, labs, monkeypatch):
    lab = labs["无锡塑料制品检验所"]
    served_order(client_as, company, lab, overall=4)
    visitor, query = client_as(None), quarter_query()
    now = dt.datetime.now(dt.UTC)
    with time_machine.travel(now, tick=False):
        assert platform_orders(visitor.get(f"/statistics/?{query}").content.decode()) == 1
        order_one_more(client_as, company, lab)
        # A process took the lock to recompute and died before it could let it go.
        period = statistics.parse_period(*query.replace("year=", "").split("&quarter="))
        assert cache.add(statistics.lock_key(period), 1, statistics.LOCK_SECONDS)
        calls = counted_compute(monkeypatch)
        held = visitor.get(f"/statistics/?{query}").content.decode()
    later = now + dt.timedelta(seconds=statistics.LOCK_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        freed = visitor.get(f"/statistics/?{query}").content.decode()

    assert platform_orders(held) == 1  # served the previous figures while the lock stands
    assert platform_orders(freed) == 2  # the lock expired: the next visitor recomputed
    assert [grouping for grouping, _ in calls].count("platform") == 1


@pytest.mark.req("EVAL-6")
def test_a_visitor_who_finds_no_figures_computes_them_even_while_another_holds_the_lock(
    client_as, company, labs, monkeypatch
):
    served_order(client_as, company, labs["无锡塑料制品检验所"], overall=4)
    query = quarter_query()
    period = statistics.parse_period(*query.replace("year=", "").split("&quarter="))
    cache.add(statistics.lock_key(period), 1, statistics.LOCK_SECONDS)
    calls = counted_compute(monkeypatch)

    page = client_as(None).get(f"/statistics/?{query}").content.decode()

    assert platform_orders(page) == 1 and ("platform", threading.get_ident()) in calls
