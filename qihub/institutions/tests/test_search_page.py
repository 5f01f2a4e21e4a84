"""The search page as users meet it (MATCH-1, MATCH-2): the box in the top navigation, the three
tabs, the institution cards with their qualifications and actions, pages and sorting, a search
that finds nothing, and the operators' synonyms made from such searches."""

import datetime as dt
import re
from html import unescape
from urllib.parse import unquote

import pytest

from qihub.core import testing
from qihub.institutions.models import SearchMiss, Synonym


def count(page: str, tab: str) -> int:
    found = re.search(rf'data-testid="count-{tab}">(\d+)<', page)
    assert found, f"no count on the {tab} tab"
    return int(found.group(1))


def names(page: str) -> list[str]:
    return re.findall(r'data-testid="hit-name">([^<]+)</a>', page)


def links(page: str, testid: str) -> list[str]:
    """The hrefs of the buttons marked so, unescaped and with the query decoded."""
    found = re.findall(rf'href="([^"]+)" data-testid="{testid}"', page)
    found += re.findall(rf'data-testid="{testid}" href="([^"]+)"', page)
    return [unquote(unescape(href)) for href in found]


METER = ("metrology", "电能表", "基本误差", "JJG 596-2012")


@pytest.mark.req("MATCH-1")
def test_the_top_navigation_has_the_search_box_on_the_home_and_profile_pages(client, db):
    lab = testing.institution("无锡电能表检定站", scope=(METER,))
    for url in ("/", f"/institutions/{lab.uscc}/"):
        page = client.get(url).content.decode()
        form = re.search(r'<form[^>]*data-testid="nav-search"[^>]*>(.*?)</form>', page, re.S)
        assert form, url
        assert 'action="/search/"' in form.group(0) and 'method="get"' in form.group(0)
        assert 'name="q"' in form.group(1) and ">查找</button>" in form.group(1)


@pytest.mark.req("MATCH-1")
def test_three_tabs_with_counts_and_the_service_and_guide_results(client, db):
    testing.institution("无锡电能表检定站", scope=(METER,))
    testing.institution("常州电能表校准所", scope=(METER,), region="320402")

    page = client.get("/search/", {"q": "电能表"}).content.decode()
    assert (count(page, "institutions"), count(page, "services"), count(page, "guides")) == (
        2,
        2,
        0,
    )
    assert sorted(names(page)) == ["常州电能表校准所", "无锡电能表检定站"]
    assert "<mark>电能表</mark>" in page

    services = client.get("/search/", {"q": "电能表", "tab": "services"}).content.decode()
    assert 'data-testid="service-results"' in services
    assert services.count("电能表基本误差") == 2 and "按标准检定并出具证书" in services

    guides = client.get("/search/", {"q": "质量门诊", "tab": "guides"}).content.decode()
    assert count(guides, "guides") >= 1
    assert 'data-guide="quality-clinic"' in guides and 'href="/services/quality-clinic/"' in guides
    # A word found only in the guide's text (its process), not in the item's name.
    by_text = client.get("/search/", {"q": "一事一评", "tab": "guides"}).content.decode()
    assert count(by_text, "guides") > 1 and "指南中相关内容：办理流程" in by_text


@pytest.mark.req("MATCH-1")
def test_the_services_tab_follows_the_region_and_keeps_the_query_understanding(client, db):
    testing.institution("无锡电能表检定站", scope=(METER,))
    testing.institution("常州电能表校准所", scope=(METER,), region="320402")

    page = client.get("/search/", {"q": "常州电能表", "tab": "services"}).content.decode()
    assert count(page, "services") == 1 and "常州电能表校准所" in page


@pytest.mark.req("MATCH-1", "MATCH-2")
def test_each_line_shows_its_qualification_and_the_order_or_demand_button(
    client_as, enterprise, db
):
    offers = testing.institution(
        "无锡电能表检定站", scope=(METER,), valid_until=dt.date(2031, 3, 31)
    )
    lists_only = testing.institution("宜兴电能表检定站", scope=(METER,), service=False)

    page = client_as(enterprise).get("/search/", {"q": "电能表检定"}).content.decode()
    cards = dict(re.findall(r'data-uscc="([^"]+)"(.*?)查看机构', page, re.S))
    service = offers.services.get()
    assert "法定计量检定机构授权 JL-" in cards[offers.uscc]
    assert "有效期至 2031-03-31" in cards[offers.uscc]
    assert links(cards[offers.uscc], "order") == [f"/orders/new/{service.pk}/"]
    assert links(cards[lists_only.uscc], "publish-demand") == ["/demands/new/?q=电能表检定"]

    form = client_as(enterprise).get("/demands/new/", {"q": "电能表检定"}).content.decode()
    assert re.search(r'name="title"[^>]*value="电能表检定"', form)
    assert re.search(r'name="description"[^>]*>\s*电能表检定</textarea>', form)


@pytest.mark.req("MATCH-1")
def test_name_only_hits_come_after_under_their_own_heading(client, db):
    testing.institution("无锡电能表检定站", scope=(METER,))
    testing.institution(
        "电能表产业园质检中心", scope=(("testing", "纺织品", "甲醛含量", "GB/T 2912.1"),)
    )

    page = client.get("/search/", {"q": "电能表"}).content.decode()
    assert names(page) == ["无锡电能表检定站", "电能表产业园质检中心"]
    heading = page.index("名称相符的机构（能力范围未列明）")
    assert page.index("无锡电能表检定站") < heading < page.index("电能表产业园质检中心")


@pytest.mark.req("MATCH-1")
def test_twenty_per_page_and_the_page_links_keep_the_query_and_filters(client, db):
    for i in range(23):
        testing.institution(f"电能表检定站{i:02d}", scope=(METER,))

    page = client.get(
        "/search/", {"q": "电能表", "category": "metrology", "region": ["320000", "320200", ""]}
    ).content.decode()
    assert count(page, "institutions") == 23 and len(names(page)) == 20
    nav = re.search(r'data-testid="pagination">(.*?)</nav>', page, re.S).group(1)
    second = unescape(re.search(r'href="([^"]+)">2<', nav).group(1))
    assert "q=%E7%94%B5%E8%83%BD%E8%A1%A8" in second and "category=metrology" in second
    assert "region=320000&region=320200" in second and "page=2" in second

    rest = client.get("/search/" + second).content.decode()
    assert len(names(rest)) == 3 and not set(names(rest)) & set(names(page))


@pytest.mark.req("MATCH-1")
def test_sorting_by_name_and_by_the_latest_expiry(client, db):
    for name, until in (("乙站电能表所", 2032), ("甲站电能表所", 2031), ("丙站电能表所", 2033)):
        testing.institution(name, scope=(METER,), valid_until=dt.date(until, 1, 1))

    by_name = client.get("/search/", {"q": "电能表", "sort": "name"}).content.decode()
    assert names(by_name) == sorted(["乙站电能表所", "甲站电能表所", "丙站电能表所"])
    by_expiry = client.get("/search/", {"q": "电能表", "sort": "expiry"}).content.decode()
    assert names(by_expiry) == ["丙站电能表所", "乙站电能表所", "甲站电能表所"]
    # The sort links keep the query.
    assert 'href="?q=%E7%94%B5%E8%83%BD%E8%A1%A8&amp;sort=name"' in by_expiry


@pytest.mark.req("MATCH-1")
def test_a_search_that_finds_nothing_offers_corrections_and_a_demand(client, db):
    page = client.get("/search/", {"q": "jiliang"}).content.decode()

    assert 'data-testid="no-result"' in page
    did_you_mean = re.search(r'data-testid="did-you-mean">(.*?)</div>', page, re.S).group(1)
    assert ">计量</a>" in did_you_mean and 'href="?q=%E8%AE%A1%E9%87%8F"' in did_you_mean
    assert links(page, "publish-demand") == ["/demands/new/?q=jiliang"]


WEIGHBRIDGE = ("metrology", "电子汽车衡", "称量误差", "JJG 539-2016")


@pytest.mark.req("MATCH-1")
def test_an_operator_turns_a_missed_search_into_a_synonym_that_then_finds(
    client, client_as, operator, db
):
    testing.institution("无锡衡器检定站", scope=(WEIGHBRIDGE,))
    assert "无锡衡器检定站" not in client.get("/search/", {"q": "大秤砣"}).content.decode()
    miss = SearchMiss.objects.get(query="大秤砣")

    desk = client_as(operator)
    misses = desk.get("/ops/search-misses/").content.decode()
    add = re.search(
        rf'data-miss="{miss.pk}".*?href="([^"]+)" data-testid="add-synonym"', misses, re.S
    )
    form = desk.get(unescape(add.group(1))).content.decode()
    assert re.search(r'name="word"[^>]*value="大秤砣"', form)
    assert '<datalist id="vocabulary">' in form and '<option value="电子汽车衡">' in form

    response = desk.post(unescape(add.group(1)), {"word": "大秤砣", "means": "电子汽车衡"})
    assert response.status_code == 302
    assert Synonym.objects.filter(words="大秤砣、电子汽车衡").exists()

    page = client.get("/search/", {"q": "大秤砣"}).content.decode()
    assert names(page) == ["无锡衡器检定站"] and "<mark>电子汽车衡</mark>" in page


@pytest.mark.req("MATCH-1")
@pytest.mark.parametrize(
    ("word", "means", "field", "message"),
    [
        ("大秤砣", "", "means", "对应的规范名称：必须填写"),
        ("大秤砣", "大秤砣", "means", "对应的规范名称：至少填一个与“用户的说法”不同的词"),
        ("大秤砣", "衡" * 31, "means", "对应的规范名称：每个词不能超过 30 字"),
        ("秤" * 31, "电子汽车衡", "word", "用户的说法：不能超过 30 字"),
        ("", "电子汽车衡", "word", "用户的说法：必须填写"),
        ("地磅", "汽车衡、电子汽车衡", "means", "对应的规范名称：已有完全相同的一组同义词"),
    ],
)
def test_bad_synonym_input_is_refused_naming_the_field(
    client_as, operator, word, means, field, message
):
    before = Synonym.objects.count()
    response = client_as(operator).post("/ops/synonyms/", {"word": word, "means": means})

    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(rf'data-field="{field}">{re.escape(message)}', page), page[-3000:]
    assert Synonym.objects.count() == before


@pytest.mark.req("MATCH-1")
def test_operators_list_add_and_delete_synonym_groups_after_confirming(client_as, operator, db):
    desk = client_as(operator)
    assert desk.post("/ops/synonyms/", {"word": "老秤", "means": "台秤、案秤"}).status_code == 302
    group = Synonym.objects.get(words="老秤、台秤、案秤")
    listing = desk.get("/ops/synonyms/").content.decode()
    assert "老秤、台秤、案秤" in listing and f'href="/ops/synonyms/{group.pk}/delete/"' in listing

    confirm = desk.get(f"/ops/synonyms/{group.pk}/delete/").content.decode()
    assert "确定删除这一组同义词吗" in confirm and Synonym.objects.filter(pk=group.pk).exists()
    assert desk.post(f"/ops/synonyms/{group.pk}/delete/").status_code == 302
    assert not Synonym.objects.filter(pk=group.pk).exists()


@pytest.mark.req("MATCH-1")
@pytest.mark.parametrize(
    "url", ["/ops/synonyms/", "/ops/synonyms/new/?word=大秤砣", "/ops/search-misses/"]
)
def test_only_back_office_staff_reach_the_synonym_pages(
    client, client_as, enterprise, institution, url
):
    group = Synonym.objects.create(words="甲词、乙词")
    assert client_as(enterprise).get(url).status_code == 403
    assert client_as(institution).post(url, {"word": "甲", "means": "乙"}).status_code == 403
    assert client.get(url).status_code == 302  # to the log-in page
    assert client_as(enterprise).post(f"/ops/synonyms/{group.pk}/delete/").status_code == 403
    assert Synonym.objects.filter(pk=group.pk).exists()


@pytest.mark.req("MATCH-1")
@pytest.mark.parametrize("query", ["商品条码", "条码", "商品条码注册"])
def test_the_article_numbering_guide_is_found_from_the_box(client, db, query):
    page = client.get("/search/", {"q": query, "tab": "guides"}).content.decode()

    assert 'data-guide="article-numbering"' in page
    assert 'href="/services/article-numbering/"' in page


@pytest.mark.req("OPS-4")
def test_the_profile_offers_order_only_to_those_who_may_order(client_as, db, operator, enterprise):
    lab = testing.institution("无锡电能表检定站", scope=(METER,))
    service = lab.services.get()
    link = f'href="/orders/new/{service.pk}/"'

    assert link in client_as(enterprise).get(f"/institutions/{lab.uscc}/").content.decode()
    staff_page = client_as(operator).get(f"/institutions/{lab.uscc}/").content.decode()
    assert link not in staff_page and "企业或个人用户可下单" in staff_page
