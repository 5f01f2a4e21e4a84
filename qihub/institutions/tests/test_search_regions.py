"""The search page's region filter is the picker (issue 14): a city picked narrows the results."""

import re

import pytest

from qihub.institutions.tests.test_search import institutions  # noqa: F401 - the fixture


def found(page: str) -> list[str]:
    return re.findall(r'data-testid="hit-name">([^<]+)</a>', page)


@pytest.mark.req("MATCH-1")
@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ([], ["南京产品质量检验院", "无锡市计量测试院"]),
        (["320000", "", ""], ["南京产品质量检验院", "无锡市计量测试院"]),
        (["320000", "320200", ""], ["无锡市计量测试院"]),  # a city picked
        (["320000", "320100", ""], ["南京产品质量检验院"]),
        (["320000", "320200", "320214"], ["无锡市计量测试院"]),  # nobody in the county: the city
        (["3202"], ["无锡市计量测试院"]),  # a prefix typed into the address, as before
    ],
)
def test_a_region_picked_narrows_the_search(client, institutions, region, expected):  # noqa: F811
    page = client.get("/search/", {"q": "压力", "region": region}).content.decode()

    assert found(page) == expected


@pytest.mark.req("MATCH-1")
def test_a_county_with_nobody_widens_to_its_city_and_says_so(client, institutions):  # noqa: F811
    page = client.get("/search/", {"q": "压力", "region": "320214"}).content.decode()

    assert found(page) == ["无锡市计量测试院"]
    assert "江苏省无锡市新吴区暂无符合条件的机构，已扩大到江苏省无锡市" in page


@pytest.mark.req("MATCH-1")
def test_the_picker_keeps_the_chosen_city_and_lists_its_counties(client, institutions):  # noqa: F811
    page = client.get("/search/", {"q": "压力", "region": ["320000", "320200", ""]}).content
    page = page.decode()

    assert '<option value="320200" selected>无锡市</option>' in page
    assert '<option value="320214">新吴区</option>' in page
    assert "请选择区县" in page and 'data-field="region"' not in page


@pytest.mark.req("MATCH-1")
def test_an_unknown_region_is_named_and_not_used(client, institutions):  # noqa: F811
    page = client.get("/search/", {"q": "压力", "region": "329999"}).content.decode()

    assert "地区：没有这个行政区划" in page
    assert found(page) == ["南京产品质量检验院", "无锡市计量测试院"]
