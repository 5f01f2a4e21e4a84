"""Issue 15: the workbench is a to-do list. Each card says how many items wait and how many are
past their statutory deadline, and opens the list they are on."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import ALL_PERSONAS
from qihub.core import testing

MONDAY = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)  # 10:00 in Wuxi, a working day


def card(page: str, title: str) -> str:
    """The markup of the workbench card titled `title`."""
    match = re.search(
        r'<a class="card[^"]*" href="([^"]*)" data-testid="workbench-card">\s*<div[^>]*>\s*'
        rf"<h2[^>]*>{title}</h2>(.*?)</a>",
        page,
        re.S,
    )
    assert match, f"no card {title}"
    return match.group(0)


@pytest.mark.req("DEM-9")
def test_a_clients_cards_count_waiting_and_overdue_demands_and_link_to_them(enterprise, client_as):
    with time_machine.travel(MONDAY, tick=False):
        first = testing.demand(enterprise, title="压力表检定")
    with time_machine.travel(MONDAY + dt.timedelta(hours=1), tick=False):
        testing.demand(enterprise, title="电子秤校准")
    # A week later both demands' response clocks (1 working day) have run out.
    with time_machine.travel(MONDAY + dt.timedelta(days=7), tick=False):
        browser = client_as(enterprise)
        page = browser.get("/accounts/workbench/").content.decode()
        demands = card(page, "我的需求")
        listed = browser.get(re.search(r'href="([^"]*)"', demands).group(1)).content.decode()

    assert "待办 2" in demands and "超时 2" in demands
    assert first.number in listed  # the card opens the list the items are on
    complaints = card(page, "我的投诉")
    assert "待办 0" in complaints and "超时" not in complaints


def test_an_item_still_within_its_deadline_waits_but_is_not_overdue(enterprise, client_as):
    with time_machine.travel(MONDAY, tick=False):
        testing.demand(enterprise)
        page = client_as(enterprise).get("/accounts/workbench/").content.decode()

    demands = card(page, "我的需求")
    assert "待办 1" in demands and "超时" not in demands


@pytest.mark.req("DEM-4")
def test_the_operators_demand_queue_card_counts_every_open_demand(enterprise, operator, client_as):
    with time_machine.travel(MONDAY, tick=False):
        testing.demand(enterprise)
        testing.demand(enterprise, status="closed", clocks=False)
    with time_machine.travel(MONDAY + dt.timedelta(days=7), tick=False):
        page = client_as(operator).get("/accounts/workbench/").content.decode()

    queue = card(page, "需求响应与推荐")
    assert "待办 1" in queue and "超时 1" in queue
    assert 'href="/ops/demands/"' in queue


@pytest.mark.req("CMP-4")
def test_the_supervisors_deadline_card_counts_every_open_clock_and_the_late_ones(
    enterprise, supervisor, client_as
):
    with time_machine.travel(MONDAY, tick=False):
        testing.demand(enterprise)  # two clocks: response (1 day), recommendation (3 days)
    with time_machine.travel(MONDAY + dt.timedelta(days=2), tick=False):
        page = client_as(supervisor).get("/accounts/workbench/").content.decode()

    monitor = card(page, "服务时限监督")
    assert "计时中 2" in monitor and "超时 1" in monitor
    assert 'href="/ops/"' in monitor


def test_counts_cost_one_query_per_card_whatever_the_backlog(enterprise, operator, client_as):
    browser = client_as(operator)
    browser.get("/accounts/workbench/")  # session, permissions and the calendar warmed up
    with CaptureQueriesContext(connection) as few:
        browser.get("/accounts/workbench/")
    for _ in range(5):
        testing.demand(enterprise)
    with CaptureQueriesContext(connection) as many:
        browser.get("/accounts/workbench/")

    assert len(many) == len(few)


@pytest.mark.parametrize("persona", ALL_PERSONAS[1:], indirect=True)
def test_no_card_is_under_construction_or_a_bare_availability_badge(persona, client_as):
    name, user = persona

    page = client_as(user).get("/accounts/workbench/").content.decode()

    assert "建设中" not in page and 'text-bg-success">可用' not in page
    assert page.count('data-testid="workbench-card"') >= 3
    assert "意见建议" in page


@pytest.mark.parametrize(
    ("name", "complains"), [("enterprise", True), ("individual", True), ("operator", False)]
)
def test_every_workbench_offers_opinions_and_clients_also_a_complaint(
    name, complains, client_as, request
):
    user = request.getfixturevalue(name)

    page = client_as(user).get("/accounts/workbench/").content.decode()
    feedback = page[page.index('data-testid="workbench-feedback"') :]

    assert ("/complaints/new/" in feedback.split("</p>")[0]) == complains
    assert "/opinions/new/" in feedback.split("</p>")[0]


def _badges(page: str) -> list[tuple[str, str]]:
    """Each card's (waiting, overdue) badge texts, in page order."""
    cards = re.findall(r'data-testid="workbench-card">(.*?)</a>', page, re.S)
    found = []
    for markup in cards:
        waiting = re.search(r'data-testid="todo-waiting">([^<]*)<', markup)
        overdue = re.search(r'data-testid="todo-overdue">([^<]*)<', markup)
        found.append((waiting.group(1) if waiting else "", overdue.group(1) if overdue else ""))
    return found


@pytest.mark.parametrize("who", ["operator", "supervisor", "enterprise", "station_staff"])
def test_grouped_counts_show_what_one_query_per_card_showed(
    who, request, enterprise, institution, client_as
):
    """The workbench counts every card of a model in one aggregate (issue 23); each badge shows
    what counting that card alone gives."""
    from qihub.accounts import todo
    from qihub.accounts.workbench import features_for

    user = request.getfixturevalue(who)
    with time_machine.travel(MONDAY, tick=False):
        testing.demand(enterprise)
        testing.demand(enterprise, status="closed", clocks=False)
        testing.complaint(enterprise, status="accepted")
        testing.order(enterprise, status="placed")
    with time_machine.travel(MONDAY + dt.timedelta(days=7), tick=False):
        browser = client_as(user)
        browser.get("/accounts/workbench/")
        with CaptureQueriesContext(connection) as queries:
            page = browser.get("/accounts/workbench/").content.decode()
        alone = [todo.count(f.todo, user) if f.todo else None for f in features_for(user.role)]

    expected = [
        ("", "")
        if c is None
        else (
            f"{f.todo.waiting_label} {c['waiting']}",
            f"超时 {c['overdue']}" if c["overdue"] else "",
        )
        for f, c in zip(features_for(user.role), alone, strict=True)
    ]
    assert _badges(page) == expected
    assert any(c and c["waiting"] for c in alone)  # something was counted
    cards_with_counts = sum(1 for c in alone if c is not None)
    if cards_with_counts > 4:
        assert len(queries) < cards_with_counts, "\n".join(
            q["sql"][:140] for q in queries.captured_queries
        )


def test_counts_are_kept_a_few_seconds_per_user(settings, enterprise, operator, client_as):
    """A workbench reopened within seconds shows the counts it just counted without counting
    again; after that it counts afresh (issue 23)."""
    settings.QIHUB_WORKBENCH_CACHE_SECONDS = 5
    with time_machine.travel(MONDAY, tick=False):
        testing.demand(enterprise)
        browser = client_as(operator)
        first = card(browser.get("/accounts/workbench/").content.decode(), "需求响应与推荐")
        testing.demand(enterprise)
        with CaptureQueriesContext(connection) as kept:
            again = card(browser.get("/accounts/workbench/").content.decode(), "需求响应与推荐")
    with time_machine.travel(MONDAY + dt.timedelta(seconds=6), tick=False):
        with CaptureQueriesContext(connection) as counted:
            later = card(browser.get("/accounts/workbench/").content.decode(), "需求响应与推荐")

    assert "待办 1" in first and "待办 1" in again
    assert "待办 2" in later
    assert len(kept) < len(counted)
