"""qihub/urls.py lists first the routes whose first path segment no other route shares, so
they skip the ~40 page lists. Moving a list ahead of another never changes which view answers
a path unless both hold a route that path could match: routes with different literal first
segments cannot."""

from django.urls import URLPattern, URLResolver, get_resolver, resolve

EARLY = 6  # api/v1/, inbox/, follow/, healthz, metrics, regions/children/


def _routes(patterns: list, prefix: str = "") -> list[str]:
    found: list[str] = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^")
        if isinstance(pattern, URLResolver):
            found += _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            found.append(route)
    return found


def _first_segment(route: str) -> str:
    return route.split("/", 1)[0]


def test_the_early_routes_share_no_first_segment_with_any_later_route():
    top = get_resolver().url_patterns
    early = {_first_segment(route) for route in _routes(top[:EARLY])}
    later = _routes(top[EARLY:])
    assert early >= {"api", "inbox", "follow", "healthz", "metrics", "regions"}
    assert len(later) > 400, "the page routes were not walked"
    # A route starting with a converter or a pattern could match any first segment.
    assert [route for route in later if route and route[0] in "<(["] == []
    assert [route for route in later if _first_segment(route) in early] == []


def test_pages_and_early_routes_resolve_to_their_views():
    assert resolve("/").view_name == "catalog:home"
    assert resolve("/orders/").view_name == "orders:mine"
    assert resolve("/inbox/").view_name == "notifications:inbox"
    assert resolve("/healthz").view_name == "healthz"
    assert resolve("/api/v1/health").route.startswith("api/v1/")
