"""Qualification and capability look-ups (MATCH-2) and public institution profiles."""

import io
import json

import pytest
from django.core.management import call_command

from qihub.institutions.models import Qualification
from qihub.onboarding.tests import helpers


@pytest.fixture
def imported(tmp_path, db):
    def row(code, name, qtype, number, category, obj, standard, valid_until="2030-06-30"):
        return json.dumps(
            {
                "name": name,
                "uscc": helpers.uscc(code),
                "region": "320211",
                "address": "无锡市",
                "categories": [category],
                "qualifications": [
                    {
                        "type": qtype,
                        "number": number,
                        "valid_until": valid_until,
                        "scope": [
                            {
                                "category": category,
                                "object": obj,
                                "parameter": "",
                                "standard": standard,
                            }
                        ],
                    }
                ],
            },
            ensure_ascii=False,
        )

    path = tmp_path / "i.jsonl"
    path.write_text(
        "\n".join(
            [
                row(
                    "12320211MB1QH0201",
                    "锡山计量所",
                    "LEGAL_METROLOGY",
                    "JL-001",
                    "metrology",
                    "压力表",
                    "JJG 52-2013",
                ),
                row(
                    "12320211MB1QH0202",
                    "惠山检测站",
                    "CMA",
                    "CMA-002",
                    "testing",
                    "塑料管材",
                    "GB/T 6111-2018",
                ),
                row(
                    "12320211MB1QH0203",
                    "滨湖认证公司",
                    "CNCA",
                    "CNCA-R-003",
                    "certification",
                    "质量管理体系",
                    "GB/T 19001-2016",
                ),
                row(
                    "12320211MB1QH0204",
                    "过期检测站",
                    "CMA",
                    "CMA-004",
                    "testing",
                    "电线电缆",
                    "GB/T 3048",
                    "2020-01-01",
                ),
            ]
        ),
        encoding="utf-8",
    )
    call_command("import", "institutions", str(path), stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.req("MATCH-2")
@pytest.mark.parametrize(
    ("kind", "present", "absent"),
    [
        (
            "metrology",
            ["锡山计量所", "法定计量检定机构授权", "压力表", "JJG 52-2013"],
            ["惠山检测站"],
        ),
        ("testing", ["惠山检测站", "CMA-002", "塑料管材"], ["过期检测站", "锡山计量所"]),
        ("certification", ["滨湖认证公司", "CNCA-R-003", "质量管理体系"], ["惠山检测站"]),
    ],
)
def test_look_ups_list_valid_qualifications_with_their_capabilities(
    client, imported, kind, present, absent
):
    page = client.get(f"/institutions/lookup/{kind}/").content.decode()

    for text in present:
        assert text in page, text
    for text in absent:
        assert text not in page, text


@pytest.mark.req("MATCH-2")
def test_a_public_profile_shows_qualifications_with_validity_and_the_scope(client, imported):
    code = helpers.uscc("12320211MB1QH0202")

    page = client.get(f"/institutions/{code}/").content.decode()
    expired = client.get(f"/institutions/{helpers.uscc('12320211MB1QH0204')}/")

    assert "惠山检测站" in page and "CMA-002" in page and "有效期至 2030-06-30" in page
    assert "检验检测" in page and "GB/T 6111-2018" in page
    assert expired.status_code == 404  # no valid qualification: not offered
    assert client.get("/institutions/lookup/astrology/").status_code == 404


def test_search_results_link_to_the_profile(client, imported):
    page = client.get("/search/", {"q": "塑料管材"}).content.decode()

    assert f'href="/institutions/{helpers.uscc("12320211MB1QH0202")}/"' in page
    assert Qualification.objects.count() == 4
