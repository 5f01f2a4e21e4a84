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


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        # An app calling an address that does not exist gets an answer it can read.
        return JsonResponse({"detail": "没有该接口"}, status=404)
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the context processors' database queries: the database may be the
    # reason we are here.
    from django.template import loader

    template = loader.get_template("500.html")
    body = template.render({"request_id": getattr(request, "request_id", "")})
    return HttpResponse(body, status=500)


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
