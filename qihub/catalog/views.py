from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from qihub.catalog.models import CATEGORY_SUMMARIES, Category, PlatformInfo


def home(request: HttpRequest) -> HttpResponse:
    categories = [
        {"code": c.value, "label": c.label, "summary": CATEGORY_SUMMARIES[c]} for c in Category
    ]
    return render(request, "catalog/home.html", {"categories": categories})


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    return render(request, "catalog/search.html", {"query": query})


def public_info(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/public_info.html", {"info": PlatformInfo.current()})
