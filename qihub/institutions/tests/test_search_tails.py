"""The two kinds of query that were the slowest in the search bench (issue 23, "search tails"):
several words made of common character pairs, and standard numbers with a year in the spellings
users type. What they find is fixed here through the API a user calls, so that work on their
speed cannot change it (MATCH-1)."""

import pytest

from qihub.core import testing

TESTING = "testing"
METROLOGY = "metrology"


@pytest.fixture
def labs(db) -> None:
    """Testing and metrology institutions whose lines share the common pairs (电线, 电阻, 强度,
    误差, 电气) in different combinations, and cite standards that differ only by the year or by
    the part number."""
    cmas = [
        (
            "甲电线电缆检测中心",
            (
                (TESTING, "电线电缆", "导体电阻", "GB/T 3048.4-2007"),
                (TESTING, "电线电缆", "导体电阻", "GB/T 5023.2-2008"),
                (TESTING, "电线电缆", "绝缘厚度", "GB/T 5023.1-2008"),
            ),
        ),
        (
            "乙线缆质检站",
            (
                (TESTING, "电线电缆", "导体电阻", "GB/T 3048.4-2007"),
                (TESTING, "家用电器", "泄漏电流", "GB 4706.1-2005"),
            ),
        ),
        # Both words, but never in one line: not a match.
        (
            "丙综合检验院",
            (
                (TESTING, "电线电缆", "绝缘厚度", "GB/T 5023.1-2008"),
                (TESTING, "金属导体", "导体电阻", "GB/T 3048.4-2007"),
                (TESTING, "钢筋", "屈服强度", "GB/T 228.1-2021"),
                (TESTING, "混凝土", "抗压强度", "GB/T 50081-2019"),
            ),
        ),
        (
            "丁建材检测有限公司",
            (
                (TESTING, "钢筋", "抗拉强度", "GB/T 228.1-2021"),
                (TESTING, "家用电器", "电气强度", "GB 4706.1-2005"),
            ),
        ),
    ]
    for name, scope in cmas:
        testing.institution(name, scope=scope, qualification_type="CMA", categories=[TESTING])
    metrology = [
        (
            "戊计量测试所",
            (
                (METROLOGY, "压力表", "示值误差", "JJG 52-2013"),
                (METROLOGY, "电子天平", "称量误差", "JJG 1036-2022"),
            ),
        ),
        # The same regulation, an earlier edition.
        ("己计量检定站", ((METROLOGY, "压力表", "示值误差", "JJG 52-2003"),)),
        (
            "庚衡器检定所",
            (
                (METROLOGY, "电子汽车衡", "称量误差", "JJG 539-2016"),
                (METROLOGY, "电子天平", "重复性", "JJG 1036-2022"),
            ),
        ),
    ]
    for name, scope in metrology:
        testing.institution(name, scope=scope)


def found(client, q: str) -> list[str]:
    response = client.get("/api/v1/institutions", {"q": q})
    assert response.status_code == 200
    return [row["name"] for row in response.json()]


@pytest.mark.req("MATCH-1")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("电线电缆 导体电阻", ["甲电线电缆检测中心", "乙线缆质检站"]),
        ("电线电缆导体电阻", ["甲电线电缆检测中心", "乙线缆质检站"]),  # typed together
        ("导体电阻 电线电缆", ["甲电线电缆检测中心", "乙线缆质检站"]),  # in the other order
        ("钢筋 抗拉强度", ["丁建材检测有限公司"]),  # not 钢筋 屈服强度 beside 混凝土 抗压强度
        ("家用电器 电气强度", ["丁建材检测有限公司"]),
        ("家用电器 泄漏电流", ["乙线缆质检站"]),
        ("电子天平 称量误差", ["戊计量测试所"]),  # not 电子汽车衡 称量误差 beside 电子天平 重复性
        ("压力表 示值误差", ["己计量检定站", "戊计量测试所"]),  # equal scores: in name order
    ],
)
def test_several_words_of_common_pairs_must_share_one_line(client, labs, query, expected):
    assert found(client, query) == expected


@pytest.mark.req("MATCH-1")
def test_the_institution_with_more_matching_lines_comes_first_and_its_lines_are_marked(
    client, labs
):
    rows = client.get("/api/v1/institutions", {"q": "电线电缆 导体电阻"}).json()

    assert [row["name"] for row in rows] == ["甲电线电缆检测中心", "乙线缆质检站"]
    assert rows[0]["matched_scope"] == [
        "<mark>电线电缆</mark> ｜ <mark>导体电阻</mark> ｜ GB/T 3048.4-2007",
        "<mark>电线电缆</mark> ｜ <mark>导体电阻</mark> ｜ GB/T 5023.2-2008",
    ]


@pytest.mark.req("MATCH-1")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("jjg52-2013", ["戊计量测试所"]),
        ("JJG 52-2013", ["戊计量测试所"]),
        ("JJG52-2013", ["戊计量测试所"]),
        ("jjg52—2013", ["戊计量测试所"]),  # a dash from a Chinese input method
        ("jjg 52 – 2013", ["戊计量测试所"]),
        ("ＪＪＧ５２－２０１３", ["戊计量测试所"]),  # full-width, as some input methods type it
        ("JJG 52-2003", ["己计量检定站"]),  # the earlier edition only
        ("JJG 52", ["戊计量测试所", "己计量检定站"]),  # no year: every edition
        ("jjg52", ["戊计量测试所", "己计量检定站"]),
        ("GB/T 5023.2-2008", ["甲电线电缆检测中心"]),  # part 2, not part 1
        ("gb/t5023.2-2008", ["甲电线电缆检测中心"]),
        ("gb5023.2", ["甲电线电缆检测中心"]),  # without /T and without the year
        ("GB/T 5023.1-2008", ["丙综合检验院", "甲电线电缆检测中心"]),
        ("GB/T 3048.4-2007", ["丙综合检验院", "乙线缆质检站", "甲电线电缆检测中心"]),
        ("JJG 1036-2022", ["庚衡器检定所", "戊计量测试所"]),
        ("JJG 1036-2021", []),  # a year nobody cites
    ],
)
def test_standard_numbers_with_a_year_in_any_spelling(client, labs, query, expected):
    assert sorted(found(client, query)) == sorted(expected)


@pytest.mark.req("MATCH-1")
def test_a_standard_number_and_words_together_need_both_in_one_line(client, labs):
    assert found(client, "电线电缆 GB/T 5023.2-2008") == ["甲电线电缆检测中心"]
    assert found(client, "绝缘厚度 GB/T 3048.4-2007") == []
    assert found(client, "压力表 jjg52—2013") == ["戊计量测试所"]
