import re

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from qihub.core import regions
from qihub.core.health import health_report


def healthz(request: HttpRequest) -> JsonResponse:
    report = health_report()
    return JsonResponse(
        report,
        status=200 if report["status"] == "ok" else 503,
        json_dumps_params={"ensure_ascii": False},
    )


def bench_baseline(request: HttpRequest) -> HttpResponse:
    """The benches' floor: the portal's base template through the whole middleware stack, no
    queries of its own. Routed only when QIHUB_BENCH_BASELINE is set (bench/README.md)."""
    return render(request, "bench_baseline.html")


def bench_bare(request: HttpRequest) -> HttpResponse:
    """The benches' bare-Django row: a few bytes through the same middleware stack and URL
    resolution as the baseline, no template, no queries of its own (bench/pages.py)."""
    return HttpResponse("裸视图", content_type="text/plain; charset=utf-8")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        # An app calling an address that does not exist gets an answer it can read.
        return JsonResponse({"detail": "没有该接口"}, status=404)
    return render(request, "404.html", status=404)


CHINESE = re.compile(r"[\u4e00-\u9fff]")


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Our 403 page in the portal's frame; the refusal's own reason only when it is Chinese
    (a library's English message is not for our users)."""
    reason = str(exception or "")
    reason = reason if CHINESE.search(reason) else ""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": reason or "无权进行此操作"}, status=403)
    return render(request, "403.html", {"exception": reason}, status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form posted without a valid security token (a stale page, cookies off): Django's own
    page is a bare English "403 Forbidden"; ours says what to do, in Chinese."""
    context = {"exception": "页面已过期或浏览器禁用了 Cookie，请刷新页面后重新提交。"}
    return render(request, "403.html", context, status=403)


# Seconds a client is asked to wait when the database is out of reach: PostgreSQL restarts
# in a few seconds and the next request opens a fresh connection (CONN_HEALTH_CHECKS).
RETRY_AFTER_SECONDS = 10
UNAVAILABLE_DETAIL = "服务暂时不可用，请稍后再试"


def is_database_outage(exc: BaseException | None) -> bool:
    """A lost or refused database connection (B9): the request can succeed again later."""
    from django.db import InterfaceError, OperationalError

    return isinstance(exc, OperationalError | InterfaceError)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After in Chinese; JSON under /api/. Rendered without context processors:
    they query the database that is out of reach."""
    from django.template import loader

    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": UNAVAILABLE_DETAIL}, status=503, json_dumps_params={"ensure_ascii": False}
        )
    else:
        response = HttpResponse(loader.get_template("503.html").render({}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


# An object store outage (a bucket refusing, timing out or answering 5xx) lasts longer than a
# PostgreSQL restart: ask for a little more patience.
STORAGE_RETRY_AFTER_SECONDS = 30
STORAGE_UNAVAILABLE_DETAIL = "文件存储暂时不可用，请稍后再试"


def storage_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After when the object store cannot be reached; JSON under /api/. The
    database answers, so the page is the site's own, with its menus."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": STORAGE_UNAVAILABLE_DETAIL},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        context = {"message": STORAGE_UNAVAILABLE_DETAIL}
        response = render(request, "storage_unavailable.html", context, status=503)
    response["Retry-After"] = str(STORAGE_RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its `except` block, so the exception is still at hand: an
    # unreachable database is a temporary outage (503), not a fault of the platform (500).
    import sys

    if is_database_outage(sys.exc_info()[1]):
        return service_unavailable(request)
    from qihub.accounts.uploads import is_store_outage

    # Past the middleware (which answers most of these): still an outage, not a fault.
    if is_store_outage(sys.exc_info()[1]):
        return storage_unavailable(request)
    # Rendered without the context processors' database queries: the database may be the
    # reason we are here.
    from django.template import loader

    from qihub.ops.errors import mark_response

    template = loader.get_template("500.html")
    # The short number operators look up (错误查询); the request id only if recording never ran.
    number = getattr(request, "error_number", "") or getattr(request, "request_id", "")
    body = template.render({"error_number": number})
    response = HttpResponse(body, status=500)
    mark_response(request, response)
    return response


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Too many attempts from one address (django-ratelimit)."""
    return render(request, "429.html", status=429)


@require_GET
def region_children(request: HttpRequest) -> JsonResponse:
    """The region picker's next level: `?code=32` → [[code, name], …] (provinces without a
    code); the same for everyone and for the life of a release, so browsers keep it a day."""
    response = JsonResponse(
        [list(pair) for pair in regions.children(request.GET.get("code", "")[:6])],
        safe=False,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response
