"""Pages of pooled demands (DEM-13): the operator's groups of similar open demands with the form
that pools them, the batch lists (staff, institution, enterprise) and the batch page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from qihub.accounts.permissions import role_required
from qihub.accounts.roles import ALL_STAFF, CLIENTS, HANDLERS, INSTITUTIONS
from qihub.core.actions import run_action
from qihub.core.lists import make_list
from qihub.pooling import forms, grouping, workflow
from qihub.pooling.actions import ACTIONS, visible
from qihub.pooling.models import Batch
from qihub.pooling.tables import BatchTable


@role_required(*HANDLERS)
def groups(request: HttpRequest) -> HttpResponse:
    """Open demands grouped by similarity, filtered by category, industry words and region."""
    filters = forms.GroupFilterForm(request.GET or None)
    found: list[grouping.Group] = []
    if filters.is_bound and not filters.is_valid():
        for errors in filters.errors.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        data = filters.cleaned_data if filters.is_bound else {}
        found = grouping.groups(
            request.user,
            category=data.get("category", ""),
            region=data.get("region", ""),
            words=data.get("words", ""),
        )
    return render(
        request,
        "pooling/groups.html",
        {
            "filters": filters,
            "groups": [
                (g, forms.BatchForm(auto_id=f"id_g{i}_%s", initial={"title": g.label}))
                for i, g in enumerate(found, 1)
            ],
            "demands": sum(len(g.demands) for g in found),
        },
    )


@role_required(*HANDLERS)
def create(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("pooling:groups")
    form = forms.BatchForm(request.POST)
    made: list[Batch] = []

    def pool(data: dict) -> None:
        made.append(
            workflow.create(
                by=request.user,
                title=data["title"],
                institution=data["institution"],
                demands=data["demands"],
                note=data["note"],
            )
        )

    if run_action(request, form, pool, "需求已打包，等待机构报价"):
        return redirect("pooling:detail", number=made[0].number)
    return redirect("pooling:groups")


def _list(request: HttpRequest, rows: object, title: str) -> HttpResponse:
    table = make_list(request, BatchTable, rows.select_related("institution"))  # type: ignore[attr-defined]
    return render(request, "pooling/list.html", {"table": table, "title": title})


@role_required(*ALL_STAFF)
def batches(request: HttpRequest) -> HttpResponse:
    return _list(request, Batch.objects.visible_to(request.user), "打包批次")


@role_required(*INSTITUTIONS)
def institution(request: HttpRequest) -> HttpResponse:
    return _list(request, Batch.objects.visible_to(request.user), "批量委托")


@role_required(*CLIENTS)
def offers(request: HttpRequest) -> HttpResponse:
    return _list(request, Batch.objects.visible_to(request.user), "批量报价")


@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    batch = visible(request.user, number)
    if batch is None:
        raise Http404("没有该批次")
    version = {"version": batch.version}
    members = batch.members.select_related(
        "demand__client", "demand__client_organisation", "order__report"
    )
    mine = workflow.pending_member(batch, request.user)
    return render(
        request,
        "pooling/detail.html",
        {
            "batch": batch,
            "members": members,
            "mine": mine,
            "answer_due": workflow.answer_due(mine) if mine else None,
            "events": batch.events.select_related("by__organisation"),
            "can": ACTIONS.buttons(request.user, batch),
            "offer_form": forms.OfferForm(record=batch, initial=version),
            "reason_form": forms.ReasonForm(initial=version),
            "answer_form": forms.AnswerForm(initial=version),
            "decline_form": forms.DeclineForm(initial=version),
        },
    )
