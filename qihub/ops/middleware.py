"""Counts requests per hour for the operators' health page (OPS-1), in the cache."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from qihub.ops.monitoring import count_request


class RequestCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count_request()
        return self.get_response(request)
