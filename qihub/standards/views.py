"""Standards information and watch (ENT-3): look-up and 查新 for everyone, the batch check, the
enterprise's watch list, and the operators' loads from the national portal's export."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qihub.accounts.permissions import role_required
from qihub.accounts.roles import CLIENTS, DECIDERS
from qihub.core import audit
from qihub.core.lists import make_list
from qihub.standards import services
from qihub.standards.batch import report_xlsx
from qihub.standards.forms import CheckForm, LoadForm, WatchForm
from qihub.standards.loader import HEADERS
from qihub.standards.lookup import check_lines, lookup
from qihub.standards.models import LoadJob, Standard, Watch
from qihub.standards.tables import StandardFilter, StandardTable, WatchTable
from qihub.standards.tasks import load_standards


def _can_watch(request: HttpRequest) -> bool:
    return request.user.is_authenticated and request.user.role in CLIENTS


def _watched_ids(request: HttpRequest) -> set[int]:
    if not _can_watch(request):
        return set()
    return set(Watch.objects.filter(user=request.user).values_list("standard_id", flat=True))


def index(request: HttpRequest) -> HttpResponse:
    """Look up one number (any spelling) and search numbers and titles by words (查新)."""
    typed = request.GET.get("number", "").strip()[:100]
    found = lookup(typed) if typed else None
    table = make_list(
        request,
        StandardTable,
        Standard.objects.all(),
        filterset_class=StandardFilter,
    )
    return render(
        request,
        "standards/index.html",
        {
            "typed": typed,
            "found": found,
            "table": table,
            "can_watch": _can_watch(request),
            "watched": _watched_ids(request),
        },
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    standard = get_object_or_404(Standard, pk=pk)
    return render(
        request,
        "standards/detail.html",
        {
            "standard": standard,
            "replaces": services.linked(standard.replaces_list()),
            "replaced_by": services.linked(standard.replaced_by_list()),
            "editions": Standard.objects.filter(key=standard.key).exclude(pk=standard.pk),
            "can_watch": _can_watch(request),
            "watched": _watched_ids(request),
        },
    )


def check(request: HttpRequest) -> HttpResponse:
    """The batch check of an enterprise's executed standards: a page, or the same as Excel."""
    form = CheckForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return render(request, "standards/check.html", {"form": form})
    if not form.is_valid():
        return render(request, "standards/check.html", {"form": form}, status=400)
    lines = check_lines(form.cleaned_data["list"])
    if request.POST.get("format") == "xlsx":
        return report_xlsx(lines)
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.result_label] = counts.get(line.result_label, 0) + 1
    return render(
        request,
        "standards/check.html",
        {
            "form": CheckForm(),
            "lines": lines,
            "counts": counts,
            "kept": "\n".join(form.cleaned_data["list"]),
            "can_watch": _can_watch(request),
        },
    )


@role_required(*CLIENTS)
@require_POST
def watch(request: HttpRequest) -> HttpResponse:
    form = WatchForm(request.POST)
    back = request.POST.get("next", "")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("standards:watches")
    if not form.is_valid():
        messages.error(request, "标准号：请填写")
        return redirect(back)
    try:
        standard = services.watch(request.user, form.cleaned_data["number"])
    except services.NotFound as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(request, f"已关注 {standard.number}，状态变化时会通知您")
    return redirect(back)


@role_required(*CLIENTS)
@require_POST
def watch_all(request: HttpRequest) -> HttpResponse:
    """Watch every standard a batch check found (the report's 全部关注)."""
    form = CheckForm(request.POST)
    if not form.is_valid():
        messages.error(request, "标准清单：请先核查标准清单")
        return redirect("standards:check")
    added = services.watch_found(request.user, check_lines(form.cleaned_data["list"]))
    messages.success(request, f"已关注清单中找到的标准，新增 {added} 项")
    return redirect("standards:watches")


@role_required(*CLIENTS)
def watches(request: HttpRequest) -> HttpResponse:
    rows = Watch.objects.filter(user=request.user).select_related("standard")
    table = make_list(
        request,
        WatchTable,
        rows,
        empty_action=("去查询标准", reverse("standards:index")),
    )
    unread = rows.filter(unread=True).count()
    return render(
        request, "standards/watches.html", {"table": table, "unread": unread, "form": WatchForm()}
    )


@role_required(*CLIENTS)
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    Watch.objects.filter(user=request.user, unread=True).update(unread=False)
    messages.success(request, "已全部标为已读")
    return redirect("standards:watches")


@role_required(*CLIENTS)
@require_POST
def unwatch(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(Watch, pk=pk, user=request.user)
    number = row.standard.number
    row.delete()
    messages.success(request, f"已取消关注 {number}")
    return redirect("standards:watches")


@role_required(*DECIDERS)
def load_page(request: HttpRequest) -> HttpResponse:
    """Operators load the portal's export; the work runs in the background queue."""
    form = LoadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["upload"]
        job = LoadJob.objects.create(
            created_by=request.user,
            filename=upload.name[:200],
            data=upload.read(),
            demo=form.cleaned_data["demo"],
        )
        audit.record(request.user, "standards.load_started", job)
        transaction.on_commit(lambda: load_standards(job.pk))
        return redirect("standards:load_job", pk=job.pk)
    jobs = LoadJob.objects.defer("data", "changes").select_related("created_by")[:20]
    return render(
        request,
        "standards/load.html",
        {"form": form, "jobs": jobs, "headers": HEADERS, "total": Standard.objects.count()},
        status=400 if form.errors else 200,
    )


@role_required(*DECIDERS)
def load_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(LoadJob.objects.defer("data"), pk=pk)
    template = "standards/load_progress.html" if request.htmx else "standards/load_job.html"
    return render(request, template, {"job": job})
