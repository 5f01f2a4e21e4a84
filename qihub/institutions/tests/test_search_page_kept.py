"""The search page keeps its results area once drawn (issue 23), and an edit still shows at the
very next search: a new scope line, an institution the platform deregisters, a changed name.
A search that finds nothing is still counted each time it is made."""

import io
import json

import pytest
from django.core.management import call_command

from qihub.core import testing
from qihub.institutions.models import SearchMiss
from qihub.institutions.tests.test_qualification_changes import (
    approve_on_page,
    lab_of,
    latest_change,
)
from qihub.institutions.tests.test_search_page import names


def search_page(client, query: str) -> str:  # noqa: ANN001 - Django's test client
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.req("MATCH-1")
def test_a_new_scope_line_shows_at_the_next_search(client, client_as, institution, operator):
    lab = lab_of(institution)
    qualification = lab.qualifications.get()
    # The word is already in the scope vocabulary: only the kept copy's generation can tell.
    testing.institution(
        "常州天平校准站",
        uscc=testing.uscc(prefix="12320402MB"),
        scope=(("metrology", "电子天平", "称量误差", "JJF 1847-2020"),),
    )
    assert names(search_page(client, "电子天平")) == ["常州天平校准站"]
    assert names(search_page(client, "电子天平")) == ["常州天平校准站"]  # the kept answer

    submitted = client_as(institution).post(
        "/api/v1/qualification-changes/lines",
        {
            "qualification": qualification.pk,
            "line_category": ["metrology"],
            "line_verb": ["calibration"],
            "line_object": ["电子天平"],
            "line_parameter": ["称量误差"],
            "line_standard": ["JJF 1847-2020"],
            "line_limits": ["(0~220) g"],
        },
    )
    approve_on_page(client_as(operator), latest_change())

    assert submitted.status_code == 201, submitted.json()
    assert sorted(names(search_page(client, "电子天平"))) == ["常州天平校准站", "无锡示例检测院"]


@pytest.mark.req("MATCH-1")
def test_an_institution_the_platform_deregisters_leaves_the_next_search(
    client, client_as, operator
):
    lab = testing.institution("无锡压力表检定站")
    other = testing.institution("常州压力表检定站", uscc=testing.uscc(prefix="12320402MB"))
    assert sorted(names(search_page(client, "压力表"))) == [other.name, lab.name]
    search_page(client, "压力表")

    done = client_as(operator).post(
        f"/ops/institutions/{lab.pk}/deregister/", {"reason": "资质被撤销", "confirm": "on"}
    )

    assert done.status_code == 302
    assert names(search_page(client, "压力表")) == [other.name]


@pytest.mark.req("MATCH-1")
def test_a_renamed_institution_shows_its_new_name_at_the_next_search(client, db, tmp_path):
    lab = testing.institution("无锡示例计量院")
    assert names(search_page(client, "压力表")) == ["无锡示例计量院"]
    search_page(client, "压力表")
    row = {
        "name": "无锡市计量测试院",
        "uscc": lab.uscc,
        "region": "320211",
        "address": "无锡市示例路 9 号",
        "phone": "0510-88888888",
        "categories": ["metrology"],
        "qualifications": [
            {
                "type": "LEGAL_METROLOGY",
                "number": "JL-2024-001",
                "valid_until": "2030-06-30",
                "scope": [
                    {
                        "category": "metrology",
                        "object": "压力表",
                        "parameter": "示值误差",
                        "standard": "JJG 52-2013",
                    }
                ],
            }
        ],
    }
    path = tmp_path / "institutions.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")

    call_command("import", "institutions", str(path), stdout=io.StringIO())

    assert names(search_page(client, "压力表")) == ["无锡市计量测试院"]


@pytest.mark.req("MATCH-1")
def test_a_search_that_finds_nothing_is_counted_every_time(client, db):
    testing.institution("无锡示例计量院")

    for _ in range(3):
        page = search_page(client, "不存在的仪器")
        assert 'data-testid="no-result"' in page

    assert SearchMiss.objects.get(query="不存在的仪器").count == 3
