"""Findings of the outside security probe (issue 13), each pinned by a test that failed before."""

import io

import pytest
from openpyxl import load_workbook

from qihub.complaints.models import Opinion


def _cells(response):
    assert response.status_code == 200, response.status_code
    book = load_workbook(io.BytesIO(response.content))
    return [cell for row in book.active.iter_rows() for cell in row]


@pytest.mark.req("OPS-2")
@pytest.mark.parametrize(
    "typed",
    [
        '=HYPERLINK("http://evil.invalid/x","点击查看详情")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1,2)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_text_typed_by_anyone_is_never_a_live_formula_in_an_export(
    client, client_as, operator, typed
):
    """Finding 5: an anonymous opinion became a live formula in the staff's export."""
    client.post("/opinions/new/", {"kind": "suggestion", "content": typed, "contact": typed})
    assert Opinion.objects.count() == 1

    cells = _cells(client_as(operator).get("/ops/opinions/?export=xlsx"))

    assert not [c for c in cells if c.data_type == "f"]
    # The form strips surrounding white space; what is left is shown, escaped, never run.
    shown = [c.value for c in cells if c.value == "'" + typed.strip()]
    assert len(shown) == 1  # the content column


@pytest.mark.req("OPS-2")
def test_a_control_character_typed_anonymously_does_not_break_the_exports(
    client, client_as, operator
):
    """Finding 6 (stored breakage): \\x01 in an opinion, %00 in a search, made exports answer 500."""
    client.post("/opinions/new/", {"kind": "suggestion", "content": "意见\x01内容\x0b"})
    client.get("/search/", {"q": "不存在的检测项目\x01", "region": "\x00"})
    staff = client_as(operator)

    opinions = _cells(staff.get("/ops/opinions/?export=xlsx"))
    misses = _cells(staff.get("/ops/search-misses/?format=xlsx"))

    assert "意见内容" in [c.value for c in opinions]
    assert all("\x01" not in str(c.value) and "\x00" not in str(c.value) for c in opinions + misses)


@pytest.mark.req("OPS-2")
@pytest.mark.parametrize(
    "query, field",
    [
        ({"q": "x", "category": "bogus"}, "category"),
        ({"q": "x", "qualification": "bogus"}, "qualification"),
        ({"q": "x", "region": "\x00"}, "region"),
        ({"region": "32abc"}, "region"),
    ],
)
def test_a_bad_search_filter_in_the_api_is_a_422_naming_the_field(client, query, field):
    """Finding 6: an unknown category or qualification made the public search API answer 500."""
    response = client.get("/api/v1/institutions", query)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]


@pytest.mark.req("OPS-2")
@pytest.mark.parametrize(
    "url",
    [
        "/ops/calendar/0/",
        "/ops/calendar/99999/",
        "/ops/calendar/1899/",
        "/ops/demands/new/?visit=abc",
    ],
)
def test_odd_addresses_in_the_back_office_are_404_not_500(client_as, operator, url):
    """Finding 6: these answered 500."""
    assert client_as(operator).get(url).status_code == 404


@pytest.mark.req("OPS-2")
def test_marking_an_impossible_calendar_year_official_is_404(client_as, operator):
    response = client_as(operator).post("/ops/calendar/0/official/", {"source_document": "x"})
    assert response.status_code == 404
