from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from qihub.accounts.permissions import role_required
from qihub.accounts.roles import DECIDERS
from qihub.catalog.flows import start_for
from qihub.catalog.forms import GuideForm
from qihub.catalog.guides import GUIDE_FIELDS, publish_version
from qihub.catalog.models import CATEGORY_SUMMARIES, Category, PlatformInfo, ServiceItem


def home(request: HttpRequest) -> HttpResponse:
    categories = [
        {"code": c.value, "label": c.label, "summary": CATEGORY_SUMMARIES[c]} for c in Category
    ]
    return render(request, "catalog/home.html", {"categories": categories})


def public_info(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/public_info.html", {"info": PlatformInfo.current()})


def services(request: HttpRequest) -> HttpResponse:
    items = list(ServiceItem.objects.all())
    groups = [
        {
            "code": c.value,
            "label": c.label,
            "summary": CATEGORY_SUMMARIES[c],
            "items": [i for i in items if i.category == c.value],
        }
        for c in Category
    ]
    return render(request, "catalog/services.html", {"groups": groups})


def service_guide(request: HttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(ServiceItem, code=code)
    guides = list(item.guides.all())
    return render(
        request,
        "catalog/guide.html",
        {
            "item": item,
            "guide": guides[0] if guides else None,
            "history": guides,
            "start": start_for(item, request.user),
        },
    )


@role_required(*DECIDERS)
def edit_guide(request: HttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(ServiceItem, code=code)
    current = item.current_guide()
    initial = {field: getattr(current, field) for field in GUIDE_FIELDS} if current else {}
    initial["change_note"] = ""
    form = GuideForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        version = publish_version(item, form.cleaned_data, by=request.user)
        messages.success(request, f"已发布“{item.name}”办事指南第 {version.version} 版")
        return redirect("catalog:guide", code=code)
    return render(
        request,
        "catalog/guide_edit.html",
        {"item": item, "form": form},
        status=400 if form.errors else 200,
    )
