"""The search page is byte-identical to the one `main` drew before the search page was made
faster (issue 23): ranking, highlighting, facets, pagination and every text stay the same.

`search_pages.json` was recorded from the code before the change by `record_search_pages.py`
(in this directory); each page is asked twice here, so the first (computed) and the second
(kept) answer are both compared with it."""

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest
import time_machine

from qihub.core import testing

FIXTURE = Path(__file__).with_name("search_pages.json")
RECORD = os.environ.get("QIHUB_RECORD_SEARCH_PAGES") == "1"
NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)

# One- and two-character words, phrases, prose, standard numbers with and without year, a place
# in the text, a division code, misspellings, filters, tabs, sorts and page 2.
URLS = [
    "/search/",
    "/search/?q=压力表",
    "/search/?q=压力表&page=2",
    "/search/?q=压力表&sort=name",
    "/search/?q=压力表&sort=name&page=2",
    "/search/?q=压力表&sort=expiry",
    "/search/?q=压力表&tab=services",
    "/search/?q=压力表&tab=guides",
    "/search/?q=压力表+检定",
    "/search/?q=压力表检定",
    "/search/?q=压力",
    "/search/?q=表",
    "/search/?q=铅",
    "/search/?q=天平",
    "/search/?q=电子天平+称量误差",
    "/search/?q=电线电缆+导体电阻",
    "/search/?q=电线电缆导体电阻检测",
    "/search/?q=JJG+52-2013",
    "/search/?q=JJG+52",
    "/search/?q=JJG52",
    "/search/?q=GB/T+19001-2016",
    "/search/?q=GB/T+3048.4",
    "/search/?q=我们厂新买了一批压力表，需要送检",
    "/search/?q=常州+压力表",
    "/search/?q=常州本地压力表检定",
    "/search/?q=无锡市压力表",
    "/search/?q=320211",
    "/search/?q=家俱甲醛",
    "/search/?q=血压汁",
    "/search/?q=jiliang",
    "/search/?q=计最",
    "/search/?q=不存在的东西",
    "/search/?q=质量管理体系认证",
    "/search/?q=认证&tab=guides",
    "/search/?q=江南计量",
    "/search/?q=滨湖",
    "/search/?category=metrology",
    "/search/?category=testing&q=电线电缆",
    "/search/?q=压力表&category=metrology&qualification=CMA",
    "/search/?q=压力表&qualification=LEGAL_METROLOGY",
    "/search/?q=压力表&region=32&region=3202&region=320211",
    "/search/?region=32&region=3204",
    "/search/?q=压力表&region=99",
    "/search/?q=压力表&tab=nonsense&sort=nonsense&page=9",
    "/search/?q=%3Cscript%3E",
    "/search/?q=塑料管材+静液压强度",
]


def _labs() -> None:
    """More institutions than a page holds for 压力表, in three cities, two qualification types."""
    regions = ["320211", "320214", "320402"]
    for i in range(25):
        testing.institution(
            f"第{i + 1:02d}压力仪表检测所",
            uscc=testing.uscc(i + 1, prefix="12320211MB"),
            region=regions[i % 3],
            valid_until=dt.date(2028 + i % 3, 6, 30),
            qualification_type="CMA" if i % 2 else "LEGAL_METROLOGY",
            scope=(
                ("metrology", "压力表", "示值误差", "JJG 52-2013"),
                ("metrology", "精密压力表", "示值误差", "JJG 49-2013"),
                ("testing", "电线电缆", "导体电阻", "GB/T 3048.4-2007"),
            )[: 1 + i % 3],
        )


def _pages(client) -> dict[str, str]:  # noqa: ANN001 - Django's test client
    pages = {}
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


@pytest.mark.req("MATCH-1")
@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_the_search_page_is_byte_identical_for_every_query(client):
    from qihub.core.demo import load_demo_data
    from qihub.core.testing import restore_migration_seeds

    with time_machine.travel(NOW, tick=False):
        restore_migration_seeds()  # the reference was recorded on a freshly migrated database
        load_demo_data()
        _labs()
        first = _pages(client)
        if RECORD:
            FIXTURE.write_text(json.dumps(first, ensure_ascii=False, indent=0, sort_keys=True))
            pytest.skip("recorded")
        again = _pages(client)
    recorded = json.loads(FIXTURE.read_text())
    assert sorted(recorded) == sorted(URLS)
    assert len(URLS) >= 30
    page_two = recorded["/search/?q=压力表&page=2"]
    assert re.search(r'aria-current="page">2<', page_two)  # the set does reach a second page
    for url in URLS:
        assert first[url] == recorded[url], f"computed page differs: {url}"
        assert again[url] == recorded[url], f"kept page differs: {url}"
