"""Request ids: every request gets one, every log line carries it, the 500 page shows it."""

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="-")
# The request itself, for JSON log lines (user id, path) written by code that has no request.
current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)

# Accept a caller's id (a proxy's, say) only when it is short and harmless to log.
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = current_request_id.set(request_id)
        request_token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(request_token)
            current_request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "request_id", None) or current_request_id.get()
        return True


# Bidirectional controls (right-to-left override and friends) make "报告exe.pdf" look like
# "报告fdp.exe" on screen; no Chinese or English text of this platform needs them.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


class InputTextMiddleware:
    """Every typed value and uploaded file name reaches forms and the API without bidirectional
    control characters: one place, so no form can forget it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.content_type in FORM_TYPES:
            posted = request.POST
            if any(BIDI_CONTROLS.search(v) for _, values in posted.lists() for v in values):
                cleaned = posted.copy()
                for key, values in posted.lists():
                    cleaned.setlist(key, [BIDI_CONTROLS.sub("", v) for v in values])
                cleaned._mutable = False
                request.POST = cleaned  # type: ignore[misc]
            for _, uploads in request.FILES.lists():
                for upload in uploads:
                    upload.name = BIDI_CONTROLS.sub("", upload.name or "")
        return self.get_response(request)


class QueryCountMiddleware:
    """Benches only (settings adds it when QIHUB_BENCH_BASELINE is set, so the normal stack pays
    nothing): the SQL queries a request ran, in the X-Qihub-Queries header that bench/load.py
    collects per page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.db import connection

        count = 0

        def counted(
            execute: Callable, sql: str, params: object, many: bool, context: dict
        ) -> object:
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        response["X-Qihub-Queries"] = str(count)
        return response
