"""Statistics at volume (issue 23): figures computed once per period until an input changes, and
the per-group tables a page at a time (EVAL-6)."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from qihub.accounts.models import Organisation
from qihub.evaluations.tests.helpers import served_order
from qihub.evaluations.tests.test_statistics import quarter_query
from qihub.institutions.importer import import_lines
from qihub.institutions.tests.test_import import line
from qihub.orders.tests.test_orders import service

CHARTS = ("on-time", "indicators", "quarters")


def visit(browser, query: str) -> tuple[str, int]:
    """The public page and its charts, as a visitor's browser loads them; (page, queries run)."""
    with CaptureQueriesContext(connection) as queries:
        page = browser.get(f"/statistics/?{query}").content.decode()
        for name in CHARTS:
            assert browser.get(f"/statistics/chart/{name}.svg?{query}").status_code == 200
    return page, len(queries)


def platform_orders(page: str) -> int:
    platform = page[page.index('data-testid="platform"') : page.index('data-testid="institutions"')]
    return int(re.search(r'<td data-label="订单">(\d+)</td>', platform).group(1))


@pytest.mark.req("EVAL-6")
def test_a_second_visit_reuses_the_figures_and_a_new_order_shows_at_once(client_as, company, labs):
    lab = labs["无锡塑料制品检验所"]
    served_order(client_as, company, lab, overall=4)
    visitor, query = client_as(None), quarter_query()

    first, cold = visit(visitor, query)
    again, warm = visit(visitor, query)
    client_as(company).post(
        f"/orders/new/{service(lab).pk}/", {"description": "PE 管", "quantity": 1}
    )
    after, _ = visit(visitor, query)

    assert platform_orders(first) == platform_orders(again) == 1
    # Cold: the page and three charts each computed the figures (the quarters chart four times).
    # Warm: only what is not cached (the published rechecks) is read again.
    assert cold >= 30 and warm <= 3, (cold, warm)
    assert platform_orders(after) == 2


@pytest.mark.req("EVAL-6")
def test_the_group_tables_show_a_page_at_a_time_and_the_export_every_row(
    client_as, company, supervisor
):
    import_lines(
        [line(f"12320211MB1QH{700 + n:04d}", f"第{n:02d}计量测试所") for n in range(21)],
        skip_invalid=False,
    )
    ent = client_as(company)
    for lab in Organisation.objects.filter(name__endswith="计量测试所"):
        ent.post(
            f"/orders/new/{service(lab, category='metrology').pk}/",
            {"description": "压力表", "quantity": 1},
        )
    boss, query = client_as(supervisor), quarter_query()

    first = boss.get(f"/ops/statistics/?{query}").content.decode()
    second = boss.get(f"/ops/statistics/?{query}&i-page=2").content.decode()
    sheet = boss.get(f"/ops/statistics/?{query}&export=institutions")

    def shown(page: str) -> set[str]:
        table = page[
            page.index('data-testid="institutions"') : page.index('data-testid="stations"')
        ]
        return set(re.findall(r"第\d\d计量测试所", table))

    assert len(shown(first)) == 20 and "共 21 条" in first
    assert len(shown(second)) == 1 and not shown(first) & shown(second)

    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 21


@pytest.mark.req("EVAL-6")
def test_junk_parameters_neither_fail_nor_get_their_own_cached_copy(client_as, company, labs):
    served_order(client_as, company, labs["无锡塑料制品检验所"], overall=4)
    visitor, query = client_as(None), quarter_query()
    visitor.get(f"/statistics/?{query}")

    with CaptureQueriesContext(connection) as queries:
        pages = [
            visitor.get(f"/statistics/?{query}&{junk}")
            for junk in ("i-sort=bogus", "i-page=abc", "i-page=99", "x=1", "s-sort=-name")
        ]

    assert all(p.status_code == 200 for p in pages)
    assert all(platform_orders(p.content.decode()) == 1 for p in pages)
    assert len(queries) <= 3 * len(pages)  # served from the cached figures
