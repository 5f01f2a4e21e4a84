"""Server errors under a short number a user can quote (OPS-1).

Django sends `got_request_exception` before it renders the 500 page; `record` gives the request
a number (date + serial of the day, digits only so that the page carries no Latin letters:
20261130-0042), writes the error to `ServerError` and leaves the number on the request for the
500 page and in a cookie for the technical-support form (`last_error_number`). Recording never
fails the request: if the database is the problem, the number still goes to the log."""

import datetime as dt
import logging
import re
import secrets
import sys
import traceback
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse

from qihub.core.models import Counter
from qihub.workcal.calendar import TZ

logger = logging.getLogger(__name__)

# The cookie the 500 page sets: the session is not saved on a 500 response, a cookie is.
LAST_ERROR_COOKIE = "qihub_last_error"
NUMBER = re.compile(r"^\d{8}-\d{4,6}$")


def _serial(day: str) -> int:
    key = f"ERR-{day}"
    with transaction.atomic():
        if not Counter.objects.filter(key=key).update(value=F("value") + 1):
            try:
                with transaction.atomic():
                    Counter.objects.create(key=key, value=1)
            except IntegrityError:  # created by a concurrent error in between
                Counter.objects.filter(key=key).update(value=F("value") + 1)
        return Counter.objects.get(key=key).value


def new_number(now: dt.datetime) -> str:
    day = now.astimezone(TZ).strftime("%Y%m%d")
    try:
        return f"{day}-{_serial(day):04d}"
    except Exception:  # the database is down: a number that is only in the log
        return f"{day}-{secrets.randbelow(900000) + 100000}"


def _role(request: HttpRequest) -> tuple[str, int | None]:
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return "", None
    return str(getattr(user, "role", "") or ""), user.pk


def record(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """The `got_request_exception` receiver: number the error, store it, never raise."""
    if request is None or getattr(request, "error_number", None):
        return
    from django.utils import timezone

    from qihub.ops.models import ServerError

    try:
        now = timezone.now()
        number = new_number(now)
        request.error_number = number  # type: ignore[attr-defined]
        exc = sys.exc_info()[1]
        role, user_id = _role(request)
        logger.error("server error %s on %s %s", number, request.method, request.path)
        ServerError.objects.create(
            number=number,
            at=now,
            path=request.get_full_path()[:500],
            method=(request.method or "")[:10],
            role=role[:40],
            user_id=user_id,
            exception_type=type(exc).__qualname__[:200] if exc else "",
            message=str(exc)[:2000] if exc else "",
            request_id=str(getattr(request, "request_id", ""))[:64],
            traceback="".join(traceback.format_exc())[:20000],
        )
    except Exception:  # recording must never turn one error into two
        logger.exception("server error could not be recorded")


def mark_response(request: HttpRequest, response: HttpResponse) -> None:
    """Leave the number in a cookie so that a support request can carry it."""
    number = getattr(request, "error_number", "")
    if number:
        response.set_cookie(LAST_ERROR_COOKIE, number, max_age=86400, samesite="Lax")


def last_error_number(request: HttpRequest) -> str:
    """The number of the last server error this browser saw today, or "" (for 技术支持)."""
    value = request.COOKIES.get(LAST_ERROR_COOKIE, "")
    return value if NUMBER.match(value) else ""
