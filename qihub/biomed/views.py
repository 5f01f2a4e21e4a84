"""Product archive pages (BIO-3, BIO-4, BIO-5, BIO-6, BIO-9): the archives (the enterprise's own,
the ones a team member serves, the ones an expert reviews), opening one, an archive's page with
its stages, services, follow-ups, pre-review and mock inspection, the overdue follow-ups, and
downloading an archive's documents."""

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from qihub.accounts.models import Document
from qihub.accounts.permissions import role_required
from qihub.accounts.roles import HANDLERS, is_enterprise, is_handler
from qihub.biomed import forms, workflow
from qihub.biomed.actions import ACTIONS, visible
from qihub.biomed.models import STAGE_ORDER, ProductArchive, Stage
from qihub.biomed.tables import ArchiveFilter, ArchiveTable, OverdueTable
from qihub.core.actions import run_action
from qihub.core.workflow import Refused
from qihub.training.pledges import check_pledge


@login_required
def archives(request: HttpRequest) -> HttpResponse:
    user = request.user
    mine = is_enterprise(user)
    rows = workflow.visible_archives(user)
    table = make_archive_list(request, rows, mine)
    return render(
        request,
        "biomed/archives.html",
        {"table": table, "mine": mine, "team": is_handler(user)},
    )


def make_archive_list(request: HttpRequest, rows: QuerySet, mine: bool) -> ArchiveTable:
    from qihub.core.lists import make_list

    return make_list(
        request,
        ArchiveTable,
        rows,
        filterset_class=ArchiveFilter,
        empty_action=("建立产品档案", reverse("biomed:open")) if mine else None,
        exclude=("enterprise",) if mine else (),
    )


@login_required
def open_archive(request: HttpRequest) -> HttpResponse:
    if not is_enterprise(request.user):
        raise Refused("只有企业用户可以建立产品档案")
    form = forms.OpenForm(request.POST or None)
    if request.method == "POST":
        made: list[ProductArchive] = []
        if run_action(
            request,
            form,
            lambda data: made.append(workflow.open_archive(by=request.user, **data)),
            "产品档案已建立，服务团队将每两周跟踪一次，全部服务免费",
        ):
            return redirect("biomed:archive", number=made[0].number)
    return render(request, "biomed/open.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def archive(request: HttpRequest, number: str) -> HttpResponse:
    from qihub.deadlines.queries import open_clock

    found = visible(request.user, number)
    if found is None:
        raise Http404
    check_pledge(request.user)  # staff read enterprise records only under a valid pledge (TRN-2)
    clock = open_clock(found, workflow.FOLLOW_UP)
    at = STAGE_ORDER.index(found.stage)
    rounds: dict[int, list[Any]] = {}
    for document in found.dossier.select_related("document"):
        rounds.setdefault(document.round, []).append(document)
    return render(
        request,
        "biomed/archive.html",
        {
            "archive": found,
            "can": ACTIONS.buttons(request.user, found),
            "stages": [
                {"label": label, "done": i < at, "current": i == at}
                for i, (_, label) in enumerate(Stage.choices)
            ],
            "history": found.events.select_related("by__organisation"),
            "services": found.services.select_related("by", "document"),
            "follow_ups": found.follow_ups.select_related("by"),
            "follow_up_due": clock.due_at if clock else None,
            "follow_up_late": bool(clock and clock.due_at < timezone.now()),
            "rounds": sorted(rounds.items()),
            "findings": found.findings.all(),
            "reviewers": found.reviewers.all(),
            "forms": {
                "assign": forms.AssignForm(initial={"version": found.version}, auto_id="assign_%s"),
                "service": forms.ServiceForm(
                    initial={"served_on": timezone.localdate()}, auto_id="service_%s"
                ),
                "follow_up": forms.FollowUpForm(auto_id="follow_%s"),
                "reviewer": forms.ReviewerForm(auto_id="reviewer_%s"),
                "apply": forms.ApplyReviewForm(
                    initial={"version": found.version}, auto_id="apply_%s"
                ),
                "comment": forms.CommentReviewForm(
                    record=found, initial={"version": found.version}, auto_id="comment_%s"
                ),
                "finding": forms.FindingForm(
                    initial={"found_on": timezone.localdate()}, auto_id="finding_%s"
                ),
                "rectify": forms.RectifyForm(record=found, auto_id="rectify_%s"),
                "close": forms.CloseFindingForm(record=found, auto_id="close_%s"),
            },
            "mine": found.enterprise_id == request.user.pk,
        },
    )


def overdue_archives(user: Any, now: dt.datetime | None = None) -> list[ProductArchive]:
    """The archives this user serves whose follow-up clock has lapsed, longest overdue first."""
    from django.contrib.contenttypes.models import ContentType

    from qihub.deadlines.models import Clock, ClockState

    now = now or timezone.now()
    rows = {str(a.pk): a for a in workflow.visible_archives(user)}
    late = Clock.objects.filter(
        content_type=ContentType.objects.get_for_model(ProductArchive),
        object_id__in=list(rows),
        code=workflow.FOLLOW_UP,
        due_at__lt=now,
    ).exclude(state=ClockState.STOPPED)
    found = []
    for clock in late:
        archive = rows[clock.object_id]
        # Counted in whole local days after the due day (due 18th: the 19th is 1 day late).
        archive.follow_up_due = timezone.localtime(clock.due_at).date()
        archive.days_overdue = max(1, (timezone.localtime(now).date() - archive.follow_up_due).days)
        found.append(archive)
    return sorted(found, key=lambda a: (-a.days_overdue, a.number))


@role_required(*HANDLERS)
def overdue(request: HttpRequest) -> HttpResponse:
    from qihub.core.lists import make_list

    table = make_list(request, OverdueTable, overdue_archives(request.user))
    return render(request, "biomed/overdue.html", {"table": table})


@login_required
def document(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """A document of an archive (a service's or a dossier's), for whoever may see the archive."""
    from qihub.accounts.uploads import open_stored

    found = visible(request.user, number)
    if found is None:
        raise Http404
    check_pledge(request.user)
    ids = {s.document_id for s in found.services.all()} | {
        d.document_id for d in found.dossier.all()
    }
    if pk not in ids:
        raise Http404
    doc = Document.objects.get(pk=pk)
    return FileResponse(
        open_stored(doc.stored_name),
        content_type=doc.content_type,
        as_attachment=True,
        filename=doc.original_name,
    )
