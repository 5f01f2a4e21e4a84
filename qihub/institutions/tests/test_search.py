"""Finding institutions (MATCH-1, MATCH-3) through the page, the API and the command."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qihub.accounts.models import Organisation
from qihub.institutions.models import Qualification
from qihub.onboarding import workflow as onboarding
from qihub.onboarding.models import Application
from qihub.onboarding.tests import helpers


@pytest.fixture
def institutions(client, db, operator):
    """Three approved institutions in Wuxi (3202) and Nanjing (3201), and one only registered."""
    specs = [
        (
            "jiliang",
            "13700000001",
            "12320211MB1QH0011",
            "无锡市计量测试院",
            "320211",
            "LEGAL_METROLOGY",
            "计量|压力表|示值误差|JJG 52-2013|0~60 MPa\n计量|电子天平|称量误差|JJG 1036-2022|",
        ),
        (
            "jiance",
            "13700000002",
            "12320102MB1QH0012",
            "南京产品质量检验院",
            "320102",
            "CMA",
            "检验检测|塑料管材|静液压强度|GB/T 6111-2018|\n检验检测|压力管道|耐压试验|GB/T 6111-2018|",
        ),
        (
            "renzheng",
            "13700000003",
            "91320214MA1QH0013",
            "滨湖认证有限公司",
            "320214",
            "CNCA",
            "认证认可|质量管理体系认证|GB/T 19001-2016||",
        ),
        (
            "pending",
            "13700000004",
            "91320214MA1QH0014",
            "待审核计量站",
            "320214",
            "CMA",
            "计量|温度计|示值误差||",
        ),
    ]
    for username, mobile, code, name, region, qtype, scope in specs:
        data = helpers.institution(
            username=username,
            mobile=mobile,
            name=name,
            region=region,
            qualification_type=qtype,
            # Each spec's lines as the row editor posts them (a row per line, a cell per column).
            **helpers.scope_rows(*(tuple(line.split("|")) for line in scope.splitlines())),
        )
        data["uscc"] = helpers.uscc(code[:17])
        assert helpers.submit(client, "institution", data).status_code == 302
        if username != "pending":
            onboarding.approve(Application.objects.get(applicant__username=username), by=operator)
    client.logout()


def names(response) -> list[str]:
    return [row["name"] for row in response.json()]


@pytest.mark.req("MATCH-1")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("计量", ["无锡市计量测试院"]),  # a two-character word in the name
        ("压力", ["南京产品质量检验院", "无锡市计量测试院"]),  # in scope lines of two institutions
        ("天平", ["无锡市计量测试院"]),
        ("表", ["无锡市计量测试院"]),  # a single character
        ("GB/T19001-2016", ["滨湖认证有限公司"]),  # a standard number, no spaces
        ("gb/t 19001", ["滨湖认证有限公司"]),  # lower case, spaced, no year
        ("JJG 52", ["无锡市计量测试院"]),
        ("jjg52", ["无锡市计量测试院"]),
        ("塑料管材 GB/T 6111", ["南京产品质量检验院"]),  # Chinese and a standard number together
        ("塑料管材GB/T6111", ["南京产品质量检验院"]),  # ... with no space between them
        ("火箭发动机", []),
    ],
)
def test_keyword_search_finds_chinese_words_and_standard_numbers(
    client, institutions, query, expected
):
    response = client.get("/api/v1/institutions", {"q": query})

    assert response.status_code == 200
    assert sorted(names(response)) == sorted(expected)


@pytest.mark.req("MATCH-1")
def test_name_hits_rank_above_scope_hits_and_matched_lines_are_highlighted(client, institutions):
    rows = client.get("/api/v1/institutions", {"q": "检验"}).json()
    pressure = client.get("/api/v1/institutions", {"q": "压力表"}).json()

    assert rows[0]["name"] == "南京产品质量检验院"
    assert pressure[0]["matched_scope"] == ["<mark>压力表</mark> ｜ 示值误差 ｜ JJG 52-2013"]


@pytest.mark.req("MATCH-1")
@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"q": "示值误差", "region": "32"}, ["无锡市计量测试院"]),
        ({"q": "压力", "region": "3202"}, ["无锡市计量测试院"]),
        ({"q": "压力", "region": "320102"}, ["南京产品质量检验院"]),
        ({"q": "压力", "category": "testing"}, ["南京产品质量检验院"]),
        ({"q": "压力", "qualification": "LEGAL_METROLOGY"}, ["无锡市计量测试院"]),
        ({"category": "certification"}, ["滨湖认证有限公司"]),
    ],
)
def test_filters_by_category_region_prefix_and_qualification(
    client, institutions, filters, expected
):
    assert names(client.get("/api/v1/institutions", filters)) == expected


@pytest.mark.req("MATCH-3")
def test_only_approved_institutions_with_a_valid_qualification_are_offered(client, institutions):
    before = names(client.get("/api/v1/institutions", {"q": "示值误差"}))
    Qualification.objects.filter(organisation__name="无锡市计量测试院").update(
        valid_until=dt.date.today() - dt.timedelta(days=1)
    )
    after = names(client.get("/api/v1/institutions", {"q": "示值误差"}))

    assert before == ["无锡市计量测试院"]  # the one still under review is never offered
    assert after == []


@pytest.mark.req("MATCH-1")
def test_the_search_page_and_the_command_give_the_same_ranking(client, institutions):
    page = client.get("/search/", {"q": "压力", "region": "32"}).content.decode()
    out = io.StringIO()
    call_command("search", "压力", "--region", "32", "--json", stdout=out)
    rows = json.loads(out.getvalue())

    # Equal scores (one matching scope line each) are ordered by name.
    assert [r["name"] for r in rows] == ["南京产品质量检验院", "无锡市计量测试院"]
    assert all({"uscc", "name", "score"} <= set(r) for r in rows)
    positions = [page.index(r["name"]) for r in rows]
    assert positions == sorted(positions)
    assert "<mark>压力</mark>" in page


@pytest.mark.req("MATCH-1")
def test_a_search_uses_the_term_index_not_a_text_scan(client, institutions):
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/institutions", {"q": "示值误差"})

    sql = " ".join(q["sql"] for q in queries.captured_queries).upper()
    assert "INSTITUTIONS_SEARCHTERM" in sql and "LIKE" not in sql


def test_bad_command_input_is_refused(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--region"):
        call_command("search", "计量", "--region", "3", stdout=io.StringIO())
    assert Organisation.objects.count() == 0
