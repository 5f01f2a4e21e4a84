"""The client's address as the platform sees it (log-in lockout, rate limits, mobile codes).

Behind `QIHUB_PROXY_COUNT` reverse proxies, each proxy appends the address it received the
request from to X-Forwarded-For, so the client is the entry that many places from the right;
anything to the left of it was written by the client and is not believed. django-ipware's
current engine answers None for every chain we tried (it drops non-global addresses and
validates chains strictly), which would key every lockout on "None"; this rule is the one the
proxies actually follow, so it is written out here and given to axes as its IP callable.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    proxies = settings.QIHUB_PROXY_COUNT
    if proxies > 0:
        chain = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        chain = [a for a in chain if a]
        if len(chain) >= proxies:
            return chain[-proxies][:45]
    return request.META.get("REMOTE_ADDR", "") or ""


def ip_key(group: str, request: HttpRequest) -> str:
    """django-ratelimit's key: the client as above, so a proxy's address is never the key."""
    return client_ip(request)


def rate(name: str) -> Callable[[str, HttpRequest], str]:
    """The configured rate of one limited endpoint (settings.QIHUB_RATES), read per request."""

    def current(group: str, request: HttpRequest) -> str:
        return settings.QIHUB_RATES[name]

    return current
