from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from qihub.accounts.models import Station
from qihub.accounts.permissions import role_required
from qihub.accounts.roles import DECIDERS
from qihub.catalog import home_cache, workflow
from qihub.catalog.actions import ACTIONS, visible
from qihub.catalog.flows import guided_flow_url, start_for
from qihub.catalog.forms import GuideForm, NoticeForm
from qihub.catalog.guides import GUIDE_FIELDS, publish_version
from qihub.catalog.models import (
    CATEGORY_SUMMARIES,
    Category,
    Notice,
    NoticeStatus,
    PlatformInfo,
    ServiceItem,
)
from qihub.core import regions

HOME_NOTICES = 6
POPULAR_SERVICES = 6


def popular_services(limit: int = POPULAR_SERVICES) -> list[ServiceItem]:
    """The catalogue items members order most (through the institutions' services that offer
    them); while there are few orders, the catalogue's own order (categories as listed, then
    each item's position) fills the list."""
    rank = {c.value: i for i, c in enumerate(Category)}
    items = ServiceItem.objects.annotate(ordered=Count("institution_services__orders"))
    ordered = sorted(items, key=lambda i: (-i.ordered, rank.get(i.category, 99), i.position, i.pk))
    return ordered[:limit]


def home_stations() -> list[dict]:
    return [
        # An unknown code would print as digits; the page shows no region rather than a code.
        {
            "pk": s.pk,
            "name": s.name,
            "region": regions.full_name(s.region) if regions.is_valid(s.region) else "",
            "address": s.address,
        }
        for s in Station.objects.filter(active=True)
    ]


def home_notices() -> list[Notice]:
    return list(Notice.objects.filter(status=NoticeStatus.PUBLISHED)[:HOME_NOTICES])


def home(request: HttpRequest) -> HttpResponse:
    categories = [
        {"code": c.value, "label": c.label, "summary": CATEGORY_SUMMARIES[c]} for c in Category
    ]
    # The lists are the same for every visitor: the template caches them as fragments keyed on
    # `home_keys` and only calls these functions on a miss (bench/README.md, issue 23).
    return render(
        request,
        "catalog/home.html",
        {
            "categories": categories,
            "notices": home_notices,
            "popular": popular_services,
            "stations": home_stations,
            "home_keys": home_cache.keys(),
        },
    )


def notices(request: HttpRequest) -> HttpResponse:
    """Every published notice, pinned ones first."""
    shown = Notice.objects.filter(status=NoticeStatus.PUBLISHED)
    return render(request, "catalog/notices.html", {"notices": shown})


def notice(request: HttpRequest, pk: int) -> HttpResponse:
    found = visible(request.user, str(pk))
    if found is None:
        raise Http404("没有该通知公告，或已撤回")
    return render(
        request,
        "catalog/notice.html",
        {"notice": found, "can": ACTIONS.buttons(request.user, found)},
    )


@role_required(*DECIDERS)
def manage_notices(request: HttpRequest) -> HttpResponse:
    """The operator's page: publish a notice, see every notice and withdraw published ones."""
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        notice = workflow.publish(by=request.user, **form.cleaned_data)
        messages.success(request, f"已发布“{notice.title}”，首页已显示")
        return redirect("catalog:manage_notices")
    return render(
        request,
        "catalog/notice_manage.html",
        {"form": form, "notices": Notice.objects.all()},
        status=400 if form.errors else 200,
    )


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
            "guided": guided_flow_url(item, request.user),
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
