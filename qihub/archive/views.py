"""The enterprise quality archive (ARC-1) and its confidential access (ARC-3)."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from qihub.accounts.models import Organisation, Role
from qihub.accounts.permissions import role_required
from qihub.accounts.roles import ALL_STAFF, ENTERPRISES
from qihub.archive import access, exports, forms, workflow
from qihub.archive.actions import ACTIONS
from qihub.archive.models import ArchiveRead, ReadKind
from qihub.archive.registry import records_of, sources, timeline
from qihub.core.actions import run_action


def _enterprise(pk: int) -> Organisation:
    enterprise = get_object_or_404(Organisation.objects.select_related("account"), pk=pk)
    if enterprise.account.role != Role.ENTERPRISE:
        raise Http404
    return enterprise


@role_required(*ENTERPRISES)
def mine(request: HttpRequest) -> HttpResponse:
    """我的质量档案: the enterprise's own archive."""
    enterprise = getattr(request.user, "organisation", None)
    if enterprise is None:
        raise Http404
    return redirect("archive:enterprise", pk=enterprise.pk)


@login_required
def enterprise(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(pk)
    grant = access.check_read(request.user, enterprise)
    access.log_read(request.user, enterprise, grant, ReadKind.PAGE)
    records = records_of(enterprise.account)
    kind = request.GET.get("kind", "")
    known = {s.key for s in sources()}
    tabs = [
        {"key": s.key, "label": s.label, "count": sum(1 for r in records if r.kind == s.key)}
        for s in sources()
    ]
    if kind in known:
        shown = [r for r in records if r.kind == kind]
        page = Paginator(shown, 20).get_page(request.GET.get("page"))
    else:
        kind = ""
        page = Paginator(timeline(records), 20).get_page(request.GET.get("page"))
    own = access.is_owner(request.user, enterprise)
    return render(
        request,
        "archive/enterprise.html",
        {
            "enterprise": enterprise,
            "grant": grant,
            "own": own,
            "tabs": tabs,
            "kind": kind,
            "kind_label": next((t["label"] for t in tabs if t["key"] == kind), ""),
            "page": page,
            "total": len(records),
            "watermark": None if own else exports.watermark(request.user, timezone.now()),
        },
    )


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(pk)
    grant = access.check_read(request.user, enterprise)
    now = timezone.now()
    data = exports.pdf(enterprise, request.user, now)
    access.log_read(request.user, enterprise, grant, ReadKind.PDF)
    return _download(data, f"{enterprise.name}质量档案.pdf", "application/pdf")


@login_required
def export_zip(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(pk)
    grant = access.check_read(request.user, enterprise)
    data = exports.zip_file(enterprise, request.user, timezone.now())
    access.log_read(request.user, enterprise, grant, ReadKind.ZIP)
    return _download(data, f"{enterprise.name}质量档案材料包.zip", "application/zip")


@role_required(*ENTERPRISES)
def reads(request: HttpRequest) -> HttpResponse:
    """访问记录: who read the enterprise's archive, when and why."""
    enterprise = getattr(request.user, "organisation", None)
    if enterprise is None:
        raise Http404
    rows = ArchiveRead.objects.filter(enterprise=enterprise).select_related("reader", "grant")
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(request, "archive/reads.html", {"page": page, "enterprise": enterprise})


@role_required(*ALL_STAFF)
def grants(request: HttpRequest) -> HttpResponse:
    """档案查阅授权: request access; the head decides the requests."""
    form = forms.RequestForm(request.POST or None)
    if request.method == "POST":
        created: list = []

        def act(data: dict) -> None:
            created.append(
                workflow.request_access(
                    by=request.user,
                    enterprise=data["enterprise"],
                    reason=data["reason"],
                    period_from=data["period_from"],
                    period_to=data["period_to"],
                )
            )

        if run_action(request, form, act, "查阅申请已提交，待运营机构负责人审批"):
            return redirect("archive:detail", number=created[0].number)
    head = workflow.is_operator_head(request.user)
    rows = workflow.visible_grants(request.user)
    today = workflow.today()
    return render(
        request,
        "archive/grants.html",
        {
            "form": form,
            "head": head,
            "waiting": rows.filter(status=workflow.S.REQUESTED) if head else [],
            "page": Paginator(rows, 20).get_page(request.GET.get("page")),
            "today": today,
        },
    )


@login_required
def grant(request: HttpRequest, number: str) -> HttpResponse:
    record = ACTIONS.lookup(request.user, number)
    if record is None:
        raise Http404
    return render(
        request,
        "archive/grant.html",
        {
            "grant": record,
            "can": ACTIONS.buttons(request.user, record),
            "valid": record.valid_on(workflow.today()) and record.requester_id == request.user.pk,
            "events": record.events.select_related("by__organisation"),
            "form": forms.DecideForm(),
        },
    )
