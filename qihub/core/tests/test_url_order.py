"""The API's routes come first in qihub/urls.py so its calls skip the page lists. That is safe
only while no page route starts with the API's prefix: moving a list ahead of another never
changes which view answers a path unless both lists hold a route that path could match."""

from django.urls import URLPattern, URLResolver, get_resolver, resolve


def _routes(patterns: list, prefix: str = "") -> list[str]:
    found: list[str] = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            found.append(route)
    return found


def test_the_api_list_is_first_and_no_page_route_shares_its_prefix():
    top = get_resolver().url_patterns
    assert str(top[0].pattern) == "api/v1/"
    others = _routes(top[1:])
    assert others, "the page routes were not walked"
    assert [route for route in others if route.lstrip("^").startswith("api")] == []


def test_pages_and_api_resolve_to_their_views():
    assert resolve("/").view_name == "catalog:home"
    assert resolve("/orders/").view_name == "orders:mine"
    assert resolve("/api/v1/health").route.startswith("api/v1/")
