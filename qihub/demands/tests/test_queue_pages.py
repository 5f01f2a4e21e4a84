"""The demand queue (需求响应与推荐) and 我的需求 page through their rows in SQL: the queue's order
(green channel, then least time left, then newest; DEM-3, DEM-14) holds across pages, each page
reads only its own demands' clocks, and rows keep alternating stripes."""

import datetime as dt
import re

import pytest
import time_machine

from qihub.core import testing
from qihub.deadlines.models import Clock, ClockState
from qihub.deadlines.workflow import stop_clock
from qihub.demands.models import Demand

CST = dt.timezone(dt.timedelta(hours=8))
# Monday 2 November 2026, a plain working week; one demand a calendar day, weekends included.
MONDAY = dt.datetime(2026, 11, 2, 9, 0, tzinfo=CST)


def _numbers(page: str) -> list[str]:
    return re.findall(r'data-number="(XQ-[^"]+)"', page)


def _linked(page: str) -> list[str]:
    """The demand numbers linked from the list's rows, in order (我的需求 has no row attribute)."""
    body = page.split("<tbody")[1].split("</tbody>")[0]
    return re.findall(r'<a href="/demands/(XQ-[^/"]+)/">', body)


def _stripes(page: str) -> list[str]:
    body = page.split("<tbody")[1].split("</tbody>")[0]
    return re.findall(r'<tr class="(odd|even)"', body)


def _the_old_order(demands: list[Demand]) -> list[str]:
    """The order the queue kept in Python before it sorted in SQL: a stable sort of the newest
    first by (not urgent, no open clock, nearest open due time)."""
    nearest = {}
    for clock in Clock.objects.exclude(state=ClockState.STOPPED):
        due = nearest.get(clock.object_id)
        nearest[clock.object_id] = clock.due_at if due is None else min(due, clock.due_at)
    newest_first = sorted(demands, key=lambda d: (d.published_at, d.pk), reverse=True)
    ordered = sorted(
        newest_first,
        key=lambda d: (
            not d.urgent,
            nearest.get(str(d.pk)) is None,
            nearest.get(str(d.pk)) or dt.datetime.min.replace(tzinfo=CST),
        ),
    )
    return [d.number for d in ordered]


def _both_pages(client, path: str) -> tuple[str, str]:
    """Pages 1 and 2 of a list, the day after the last demand's clocks were stopped."""
    with time_machine.travel(MONDAY + dt.timedelta(days=28), tick=False):
        return client.get(path).content.decode(), client.get(f"{path}?page=2").content.decode()


@pytest.fixture
def queue(company) -> list[Demand]:
    """27 open demands over 27 days: three urgent, two without clocks, one whose clocks were
    both stopped, one with only its recommendation clock stopped."""
    made = []
    for day in range(27):
        with time_machine.travel(MONDAY + dt.timedelta(days=day, hours=day % 5), tick=False):
            made.append(
                testing.demand(
                    company,
                    title=f"压力表检定 第 {day + 1} 批",
                    clocks=day not in (4, 11),
                    urgent=day in (3, 15, 20),
                    urgent_reason="停线待检" if day in (3, 15, 20) else "",
                )
            )
    with time_machine.travel(MONDAY + dt.timedelta(days=27), tick=False):
        for clock in Clock.objects.filter(object_id=str(made[7].pk)):
            stop_clock(clock)
        stop_clock(Clock.objects.get(object_id=str(made[9].pk), code="demand_recommendation"))
    return made


@pytest.mark.req("DEM-3")
def test_the_queue_keeps_its_order_across_pages(client_as, operator, queue):
    first, second = _both_pages(client_as(operator), "/ops/demands/")
    expected = _the_old_order(queue)
    assert _numbers(first) == expected[:20]
    assert _numbers(second) == expected[20:]
    # The green channel first, the nearest due time first among them.
    assert expected[:3] == [queue[3].number, queue[15].number, queue[20].number]
    # Without an open clock: last, the newest first.
    assert expected[-3:] == [queue[11].number, queue[7].number, queue[4].number]
    for page in (first, second):
        stripes = _stripes(page)
        assert stripes == ["even", "odd"] * (len(stripes) // 2) + ["even"] * (len(stripes) % 2)
    assert first.count('data-testid="urgent-badge"') == 3


@pytest.mark.req("DEM-3")
def test_a_queue_page_reads_only_its_own_clocks(
    client_as, operator, queue, django_assert_max_num_queries, monkeypatch
):
    from qihub.deadlines.queries import clocks_of_each

    read: list[int] = []

    def counted(demands: list[Demand], now: dt.datetime, **how: bool) -> dict:
        read.append(len(demands))
        return clocks_of_each(demands, now, **how)

    monkeypatch.setattr("qihub.demands.tables.clocks_of_each", counted)
    desk = client_as(operator)
    desk.get("/ops/demands/")  # the session's and calendar's first reads
    with django_assert_max_num_queries(12):
        page = desk.get("/ops/demands/?page=2").content.decode()
    assert read[-1] == 7 and len(_numbers(page)) == 7


@pytest.mark.req("DEM-3")
def test_my_demands_show_each_rows_clocks_a_page_at_a_time(client_as, company, queue):
    first, second = _both_pages(client_as(company), "/demands/")
    newest_urgent_first = sorted(queue, key=lambda d: (d.urgent, d.published_at), reverse=True)
    assert _linked(first) + _linked(second) == [d.number for d in newest_urgent_first]
    assert len(_linked(first)) == 20
    rows = {
        number: row
        for row in (first + second).split("<tr ")[1:]
        for number in re.findall(r'demands/(XQ-[^/"]+)/', row)[:1]
    }
    assert "—" in rows[queue[4].number] and 'data-testid="clock"' not in rows[queue[4].number]
    assert rows[queue[9].number].count('data-testid="clock"') == 1  # one of two still running
    assert rows[queue[0].number].count('data-testid="clock"') == 2
    assert rows[queue[0].number].count("已超时") == 2
