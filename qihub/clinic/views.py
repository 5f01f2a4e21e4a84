"""Pages of the quality clinic (DEM-10) and the expert pool (DEM-15)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from qihub.accounts.models import Organisation
from qihub.accounts.permissions import role_required
from qihub.accounts.roles import BACK_OFFICE, CLIENTS, DECIDERS
from qihub.accounts.uploads import open_stored
from qihub.catalog.models import ServiceItem
from qihub.clinic import library, queries, workflow
from qihub.clinic.actions import ACTIONS, lookup, visible_to
from qihub.clinic.forms import (
    AnswerForm,
    AskBackForm,
    AskForm,
    AssignForm,
    ConflictForm,
    EnrolForm,
    ExpertForm,
    LibrarySearchForm,
    RateForm,
    ReplyForm,
)
from qihub.clinic.models import Expert, default_answer_days
from qihub.clinic.tables import ConsultationFilter, ConsultationTable, ExpertFilter, ExpertTable
from qihub.core.actions import run_action
from qihub.core.lists import make_list
from qihub.deadlines.queries import clocks_of
from qihub.diagnosis.forms import VersionForm


@login_required
def consultations(request: HttpRequest) -> HttpResponse:
    """The asker's own questions, the expert's routed ones, or all of them for the back office."""
    can_ask = request.user.role in CLIENTS
    table = make_list(
        request,
        ConsultationTable,
        visible_to(request.user),
        filterset_class=ConsultationFilter,
        empty_action=("提交咨询", reverse("clinic:ask")) if can_ask else None,
    )
    return render(
        request,
        "clinic/list.html",
        {
            "table": table,
            "can_ask": can_ask,
            "is_operator": request.user.role in DECIDERS,
            "is_expert": hasattr(request.user, "expert_profile"),
        },
    )


@role_required(*CLIENTS)
def ask(request: HttpRequest) -> HttpResponse:
    initial: dict = {}
    organisation = Organisation.objects.filter(account=request.user).first()
    if organisation is not None:
        initial["region"] = organisation.region
    # From the catalogue's 质量门诊 guide (?item=…): the item's field is preset.
    item = ServiceItem.objects.filter(code=request.GET.get("item", "")[:60]).first()
    if item is not None:
        initial["field"] = item.category
    form = AskForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        attachment = data.pop("attachment", None)
        record = workflow.ask(by=request.user, attachments=[attachment], **data)
        if record.expert is not None:
            messages.success(
                request,
                f"咨询 {record.number} 已提交，已分派给{record.expert.name}专家，"
                f"将在 {record.answer_days} 个工作日内答复",
            )
        else:
            messages.success(request, f"咨询 {record.number} 已提交，平台将尽快为您指派专家")
        return redirect("clinic:detail", number=record.number)
    return render(
        request,
        "clinic/ask.html",
        {"form": form, "answer_days": default_answer_days()},
        status=400 if form.errors else 200,
    )


@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    record = lookup(request.user, number)
    if record is None:
        raise Http404("没有该咨询，或您无权查看")
    version = {"version": record.version}
    return render(
        request,
        "clinic/detail.html",
        {
            "c": record,
            "can": ACTIONS.buttons(request.user, record),
            "ask_back_form": AskBackForm(initial=version),
            "reply_form": ReplyForm(initial=version),
            "answer_form": AnswerForm(initial=version),
            "rate_form": RateForm(initial=version),
            "version_form": VersionForm(initial=version),
            "assign_form": AssignForm(initial=version),
            "clocks": clocks_of(record, timezone.now()),
            "events": record.events.select_related("by__organisation"),
            "documents": record.documents.all(),
            "publishable": (record.rating or 0) >= workflow.PUBLISHABLE_RATING
            and record.published_at is None,
        },
    )


@login_required
def attachment(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """An attachment, to those who may see the consultation only."""
    record = lookup(request.user, number)
    if record is None:
        raise Http404
    item = get_object_or_404(record.documents.all(), pk=pk)
    response = FileResponse(open_stored(item.stored_name), content_type=item.content_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    return response


# --- the expert pool -------------------------------------------------------------------------
@role_required(*BACK_OFFICE)
def experts(request: HttpRequest) -> HttpResponse:
    table = make_list(
        request,
        ExpertTable,
        queries.pool(),
        filterset_class=ExpertFilter,
        rows=queries.with_rates,
        empty_action=("专家入库", reverse("clinic:expert_new"))
        if request.user.role in DECIDERS
        else None,
    )
    return render(
        request,
        "clinic/experts.html",
        {"table": table, "can_enrol": request.user.role in DECIDERS},
    )


@role_required(*DECIDERS)
def expert_new(request: HttpRequest) -> HttpResponse:
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        expert = _save_expert(Expert(enrolled_by=request.user), form.cleaned_data)
        messages.success(request, f"{expert.name}专家已入库")
        return redirect("clinic:expert", pk=expert.pk)
    return render(
        request, "clinic/expert_new.html", {"form": form}, status=400 if form.errors else 200
    )


def _save_expert(expert: Expert, data: dict) -> Expert:
    with transaction.atomic():
        if "user" in data:
            expert.user = data["user"]
        expert.name = data["name"].strip()
        expert.title = data["title"].strip()
        expert.organisation = data["organisation"]
        expert.fields = list(data["fields_"])
        expert.keywords = data["keywords"].strip()
        expert.region = data["region"]
        expert.available = data["available"]
        expert.max_open = data["max_open"]
        expert.save()
    return expert


def _initial(expert: Expert) -> dict:
    return {
        "name": expert.name,
        "title": expert.title,
        "organisation": expert.organisation,
        "fields_": expert.fields,
        "keywords": expert.keywords,
        "region": expert.region,
        "available": expert.available,
        "max_open": expert.max_open,
    }


@role_required(*BACK_OFFICE)
def expert(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Expert.objects.select_related("organisation", "user"), pk=pk)
    can_edit = request.user.role in DECIDERS
    form = ExpertForm(request.POST or None, initial=_initial(found))
    conflict_form = ConflictForm()
    if request.method == "POST":
        if not can_edit:
            raise Http404
        what = request.POST.get("what", "")
        if what == "conflict":
            conflict_form = ConflictForm(request.POST)
            if run_action(
                request,
                conflict_form,
                lambda c: found.conflicts.add(c["organisation"]),
                "利益冲突已登记，该专家不会再被分派涉及该单位的咨询",
            ):
                return redirect("clinic:expert", pk=pk)
            form = ExpertForm(initial=_initial(found))
        elif what == "remove_conflict":
            found.conflicts.remove(*found.conflicts.filter(pk=request.POST.get("organisation")))
            messages.success(request, "已撤销该利益冲突声明")
            return redirect("clinic:expert", pk=pk)
        elif form.is_valid():
            _save_expert(found, form.cleaned_data)
            messages.success(request, "专家信息已保存")
            return redirect("clinic:expert", pk=pk)
    figures = queries.with_rates(queries.pool().filter(pk=pk))[0]
    return render(
        request,
        "clinic/expert.html",
        {
            "expert": found,
            "figures": figures,
            "form": form,
            "conflict_form": conflict_form,
            "conflicts": found.conflicts.all(),
            "can_edit": can_edit,
            "recent": found.consultations.all()[:20],
        },
        status=400 if (form.errors or conflict_form.errors) else 200,
    )


# --- the public Q&A library ------------------------------------------------------------------
def library_list(request: HttpRequest) -> HttpResponse:
    form = LibrarySearchForm(request.GET or None)
    query, field = "", ""
    if form.is_valid():
        query, field = form.cleaned_data["q"].strip(), form.cleaned_data["field"]
    entries = library.search(query, field)
    return render(
        request,
        "clinic/library.html",
        {
            "form": form,
            "entries": entries[:50],
            "query": query,
            "total": len(entries),
            "can_ask": may_ask(request.user),
        },
    )


def library_entry(request: HttpRequest, number: str) -> HttpResponse:
    entry = library.published().filter(number=number).first()
    if entry is None:
        raise Http404("没有该问答")
    return render(
        request, "clinic/library_entry.html", {"entry": entry, "can_ask": may_ask(request.user)}
    )


def may_ask(user: object) -> bool:
    """Clients ask; visitors are sent to log in first; staff and institutions do not ask."""
    return not getattr(user, "is_authenticated", False) or user.role in CLIENTS
