"""Issue 15's list building block on a 375 px phone, in real Chromium: the operator's demand queue
and institution list turn into stacked cards ("header: value" lines) and nothing is wider than the
screen; on a desktop the same list is a table whose header sorts it."""

import pytest

from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.browser

CARD_LAYOUT = """() => {
  const row = document.querySelector('table.qihub-list tbody tr');
  const cell = row.querySelector('td');
  return {
    row: getComputedStyle(row).display,
    cell: getComputedStyle(cell).display,
    label: getComputedStyle(cell, '::before').content,
    header: getComputedStyle(document.querySelector('table.qihub-list thead')).position,
  };
}"""


def test_lists_are_cards_on_a_phone_and_tables_on_a_desktop(live_server, page, demo_data):
    base = live_server.url
    log_in(page, base, "demo_operator")

    page.set_viewport_size({"width": 375, "height": 740})
    for path, first_header in (("/ops/demands/", "编号"), ("/ops/institutions/", "名称")):
        page.goto(base + path)
        assert page.locator("table.qihub-list tbody tr").count() > 0, path
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, path
        layout = page.evaluate(CARD_LAYOUT)
        assert layout["row"] == "block" and layout["cell"] == "flex", (path, layout)
        assert layout["label"] == f'"{first_header}"', (path, layout)
        assert layout["header"] == "absolute", (path, layout)  # the header row is hidden
    screenshot(page, "list-cards-375")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base + "/ops/institutions/")
    layout = page.evaluate(CARD_LAYOUT)
    assert layout["row"] == "table-row" and layout["cell"] == "table-cell"
    first_cells = page.locator("table.qihub-list tbody tr td:first-child")
    page.get_by_role("link", name="名称", exact=True).click()
    page.wait_for_url("**/ops/institutions/?sort=name")
    ascending = first_cells.all_inner_texts()
    page.get_by_role("link", name="名称 ↑", exact=True).click()  # clicking again reverses
    page.wait_for_url("**/ops/institutions/?sort=-name")
    descending = first_cells.all_inner_texts()
    assert len(ascending) > 1 and descending == ascending[::-1]
    screenshot(page, "list-table-1280")
