"""The archive's pages for the back office (ARC-4): catalogues by year and retention period,
each with its cover as PDF; the retention rules; the cases past retention awaiting a decision."""

from urllib.parse import quote

from django.contrib import messages
from django.db.models import Count, QuerySet
from django.forms import modelformset_factory
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from qihub.accounts.permissions import role_required
from qihub.accounts.roles import BACK_OFFICE, DECIDERS
from qihub.core.lists import make_list
from qihub.filing import services
from qihub.filing.actions import ACTIONS, visible
from qihub.filing.forms import DestroyForm, ExtendForm, RetentionRuleForm
from qihub.filing.models import ArchiveItem, CaseKind, Retention, RetentionRule
from qihub.filing.tables import CatalogueTable, DueTable

FONDS_NAME = "质量基础设施一站式服务平台"


def catalogue_name(year: int, retention: str) -> str:
    return f"{year}年度{Retention(retention).label}归档目录"


@role_required(*BACK_OFFICE)
def index(request: HttpRequest) -> HttpResponse:
    groups = (
        ArchiveItem.objects.values("year", "retention")
        .annotate(count=Count("id"))
        .order_by("-year", "retention")
    )
    catalogues = [{**g, "name": catalogue_name(g["year"], g["retention"])} for g in groups]
    return render(
        request,
        "filing/index.html",
        {
            "catalogues": catalogues,
            "due_count": services.due_items().count(),
            "can_decide": request.user.role in DECIDERS,
        },
    )


def _catalogue_items(year: int, retention: str) -> QuerySet[ArchiveItem]:
    if retention not in Retention.values or not 1900 <= year <= 9999:
        raise Http404
    return ArchiveItem.objects.filter(year=year, retention=retention).order_by(
        "unit_code", "serial"
    )


@role_required(*BACK_OFFICE)
def catalogue(request: HttpRequest, year: int, retention: str) -> HttpResponse:
    items = _catalogue_items(year, retention)
    table = make_list(request, CatalogueTable, items)
    return render(
        request,
        "filing/catalogue.html",
        {
            "table": table,
            "title": catalogue_name(year, retention),
            "year": year,
            "retention": retention,
            "retention_label": Retention(retention).label,
            "count": items.count(),
            "fonds_name": FONDS_NAME,
        },
    )


@role_required(*BACK_OFFICE)
def catalogue_pdf(request: HttpRequest, year: int, retention: str) -> HttpResponse:
    """The cover (封面) and the item list (卷内目录) of one catalogue, fonts embedded."""
    from weasyprint import HTML

    items = list(_catalogue_items(year, retention))  # checks the year and retention first
    name = catalogue_name(year, retention)
    html = render_to_string(
        "filing/catalogue_pdf.html",
        {
            "name": name,
            "year": year,
            "retention_label": Retention(retention).label,
            "fonds": services.fonds(),
            "fonds_name": FONDS_NAME,
            "items": items,
            "first": items[0].number if items else "",
            "last": items[-1].number if items else "",
            "printed": timezone.localdate(),
        },
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name + '.pdf')}"
    return response


@role_required(*BACK_OFFICE)
def item(request: HttpRequest, number: str) -> HttpResponse:
    found = visible(request.user, number)
    if found is None:
        raise Http404
    return render(
        request,
        "filing/item.html",
        {
            "item": found,
            "events": found.events.select_related("by__organisation"),
            "can": ACTIONS.buttons(request.user, found),
            "past": found.past_retention(timezone.localdate()),
            "destroy_form": DestroyForm(),
            "extend_form": ExtendForm(),
        },
    )


@role_required(*BACK_OFFICE)
def due(request: HttpRequest) -> HttpResponse:
    table = make_list(request, DueTable, services.due_items())
    return render(request, "filing/due.html", {"table": table, "title": "到期鉴定"})


RuleFormSet = modelformset_factory(RetentionRule, form=RetentionRuleForm, extra=0)


@role_required(*DECIDERS)
def rules(request: HttpRequest) -> HttpResponse:
    for kind in CaseKind.values:
        services.rule_for(kind)
    formset = RuleFormSet(request.POST or None, queryset=RetentionRule.objects.order_by("kind"))
    if request.method == "POST":
        if formset.is_valid():
            formset.save()
            messages.success(request, "保管期限已保存，此后归档的文件按新规则编号")
            return redirect("filing:rules")
        for form in formset.forms:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    return render(
        request,
        "filing/rules.html",
        {"formset": formset},
        status=400 if request.method == "POST" else 200,
    )
