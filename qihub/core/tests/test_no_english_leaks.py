"""Issue 15, "Chinese everywhere": every page a role reaches from its workbench and navigation
speaks Chinese — no Django placeholder, no internal field, status, setting or document name."""

import re
from html import unescape

import pytest
from django.test import Client

from conftest import PERSONAS

# Text people must never read on a page: Django's empty select, the optimistic-lock field's
# English label, the English error page, setting names, ADR numbers, package names and raw
# status values.
LEAKS = (
    "---------",
    "Version",
    "Forbidden",
    "QIHUB_",
    "ADR 0",
    "chinese-calendar",
    "submitted",
    "approved",
)
HREF = re.compile(r'href="(/[^"#]*)"')
SKIP = re.compile(r"^/(admin|api|static|media|accounts/logout)|export=|format=|\.(xlsx|pdf|csv)")
DROP = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->", re.S | re.I)
TAG = re.compile(r"<[^>]+>")


def page_text(html: str) -> str:
    """What a reader sees: the HTML without scripts, styles, comments and tags."""
    return unescape(TAG.sub(" ", DROP.sub(" ", html)))


def leaks_in(text: str) -> list[str]:
    return [word for word in LEAKS if word in text]


def links(html: str) -> set[str]:
    return {unescape(h) for h in HREF.findall(html) if not SKIP.search(unescape(h))}


def crawl(client: Client, depth: int = 2) -> tuple[int, dict[str, list[str]]]:
    """The workbench (its cards and the navigation) and the pages it leads to, `depth` links
    deep: (how many pages were read, url → the leaks on it)."""
    found: dict[str, list[str]] = {}
    seen: set[str] = set()
    level = ["/accounts/workbench/"]
    read = 0
    for _ in range(depth + 1):
        following: set[str] = set()
        for url in level:
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                continue
            read += 1
            html = response.content.decode()
            leaked = leaks_in(page_text(html))
            if leaked:
                found[url] = leaked
            following |= links(html)
        level = sorted(following - seen)
    return read, found


@pytest.mark.req("OPS-4")
def test_page_text_has_no_english_or_internal_names():
    assert leaks_in(page_text("<p>已提交</p><script>var a='submitted'</script>")) == []
    assert leaks_in(page_text("<option>---------</option>")) == ["---------"]


@pytest.mark.req("OPS-4")
@pytest.mark.parametrize("persona", list(PERSONAS), indirect=True)
def test_every_page_a_role_reaches_is_in_chinese(persona, client_as):
    name, user = persona
    read, leaks = crawl(client_as(user))
    assert read > 5, f"{name} reached only {read} pages"
    assert leaks == {}
