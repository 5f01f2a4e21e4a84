"""List rows drawn in Python (`ListTable.tbody_html`, issue 23) give the same page as the template
they replaced: each real list page below is loaded as its user sees it, and its list is drawn a
second time, from the same table, by the old template (`list_reference.html`, the former
`ui/list.html`); the two must be the same bytes."""

# ruff: noqa: F811 - the fixtures imported below are parameters of the tests
import datetime as dt
import itertools
import re
from pathlib import Path

import pytest
import time_machine
from django.template import RequestContext, engines

from qihub.core import testing
from qihub.demands.tests.conftest import company, labs  # noqa: F401 - shared fixtures
from qihub.orders.tests.test_orders import pipe_lab  # noqa: F401 - shared fixture

REFERENCE = Path(__file__).with_name("list_reference.html")
# A weekday mid-morning in Beijing: no date, working-day or clock boundary near the test.
NOON = dt.datetime(2026, 6, 10, 10, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _old_rendering(response) -> str:
    """The list of `response`'s page as the old template draws it from the same table."""
    table = response.context["table"]
    request = response.wsgi_request
    template = engines["django"].from_string(REFERENCE.read_text())
    # As django-tables2's {% render_table %} does: TemplateColumns read the page's context.
    table.context = RequestContext(request, {})
    # Rows alternate odd/even by a counter on the table that the page's rendering advanced; a
    # fresh rendering, like the page's, starts it at nought.
    table._counter = itertools.count()
    try:
        return template.render({"table": table}, request)
    finally:
        del table.context


def _without_tokens(html: str) -> str:
    # Every rendering masks the CSRF token anew (Django's BREACH defence): same secret, new bytes.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", html)


def _assert_same_list(response, *, rows: int) -> str:
    assert response.status_code == 200
    page = _without_tokens(response.content.decode())
    old = _without_tokens(_old_rendering(response)).strip()
    assert old.startswith('<div class="qihub-list-block">')
    assert page.count("<td ") > 0
    assert old in page, "the Python row renderer drew a different list than the old template"
    body = page.split("<tbody")[1].split("</tbody>")[0]
    assert body.count("<tr ") == rows
    return page


@pytest.fixture
def at_noon():
    with time_machine.travel(NOON, tick=True):
        yield


def test_orders_list_with_sorting_and_pages(at_noon, client_as, company, pipe_lab):
    for i in range(22):
        status = ["placed", "accepted", "quoted"][i % 3]
        due = "2026-06-20T00:00+08:00" if status == "accepted" else None
        testing.order(
            company, institution_org=pipe_lab, status=status, due_at=due, description=f"<b>第{i}批"
        )
    ent = client_as(company)

    first = _assert_same_list(ent.get("/orders/"), rows=20)
    assert "&lt;b&gt;" in first or "<b>第" not in first  # text from users stays text
    assert 'data-testid="pagination"' in first
    _assert_same_list(ent.get("/orders/?page=2"), rows=2)
    sorted_page = _assert_same_list(ent.get("/orders/?sort=-number"), rows=20)
    assert 'aria-sort="descending"' in sorted_page


def test_the_institutions_orders(at_noon, client_as, company, pipe_lab):
    for status in ("placed", "accepted", "completed"):
        testing.order(company, institution_org=pipe_lab, status=status)
    lab = client_as(pipe_lab.account)
    _assert_same_list(lab.get("/institution/orders/"), rows=3)


def test_demands_mine_and_the_operators_queue(at_noon, client_as, company, operator):
    for i in range(3):
        testing.demand(company, title=f"压力表检定 第 {i + 1} 批 & <i>急</i>", clocks=True)
    mine = _assert_same_list(client_as(company).get("/demands/"), rows=3)
    assert "&lt;i&gt;急&lt;/i&gt;" in mine
    _assert_same_list(client_as(operator).get("/ops/demands/"), rows=3)


def test_complaints_queue_with_its_row_buttons(at_noon, client_as, enterprise, operator):
    testing.complaint(enterprise, status="accepted")
    testing.complaint(enterprise, status="accepted", paused=True)
    testing.complaint(enterprise, status="closed")
    _assert_same_list(client_as(operator).get("/ops/complaints/"), rows=2)
    _assert_same_list(client_as(enterprise).get("/complaints/"), rows=3)


def test_the_operators_order_queue(at_noon, client_as, company, pipe_lab, operator):
    for status in ("placed", "accepted", "quoted", "completed"):
        testing.order(company, institution_org=pipe_lab, status=status)
    _assert_same_list(client_as(operator).get("/ops/orders/"), rows=4)
