"""Pages of full agency (DEM-11): the client's entrustments and the form, the agent's list, the
entrustment page with every step, and the printable entrustment (PDF)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from qihub.accounts import second_factor
from qihub.accounts.permissions import role_required
from qihub.accounts.roles import CLIENTS, STATION_STAFF
from qihub.agency import forms, workflow
from qihub.agency.actions import ACTIONS, visible
from qihub.agency.models import AgencyStep, Authority, Entrustment, EntrustmentStatus
from qihub.agency.tables import EntrustmentTable
from qihub.catalog.models import ServiceItem
from qihub.core.lists import make_list
from qihub.core.workflow import WorkflowError


def _list(request: HttpRequest, rows: object, title: str, **kwargs: object) -> HttpResponse:
    table = make_list(
        request,
        EntrustmentTable,
        rows.select_related("client", "agent", "station"),  # type: ignore[attr-defined]
        **kwargs,
    )
    return render(request, "agency/list.html", {"table": table, "title": title})


@role_required(*CLIENTS)
def mine(request: HttpRequest) -> HttpResponse:
    return _list(
        request,
        Entrustment.objects.filter(client=request.user),
        "我的代办",
        empty_action=("委托全程代办", reverse("agency:new")),
    )


@role_required(*STATION_STAFF)
def queue(request: HttpRequest) -> HttpResponse:
    return _list(request, Entrustment.objects.visible_to(request.user), "代办事项")


@role_required(*CLIENTS)
def new(request: HttpRequest) -> HttpResponse:
    initial = {}
    service = ServiceItem.objects.filter(code=request.GET.get("item", "")[:60]).first()
    if service is not None:
        initial["item_1"] = service
    form = forms.EntrustmentForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entrustment = workflow.create(
                client=request.user,
                agent=data["agent"],
                items=data["items"],
                authorities=data["authorities"],
                handed_over=data["handed_over"],
                period_from=data["period_from"],
                period_to=data["period_to"],
                files=[data["attachment"]],
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"委托书 {entrustment.number} 已填写，请签署后生效")
            return redirect("agency:detail", number=entrustment.number)
    return render(request, "agency/new.html", {"form": form}, status=400 if form.errors else 200)


def _found(request: HttpRequest, number: str) -> Entrustment:
    entrustment = visible(request.user, number)
    if entrustment is None:
        raise Http404("没有该委托书")
    return entrustment


@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    entrustment = _found(request, number)
    can = ACTIONS.buttons(request.user, entrustment)
    steps = [
        (a, forms.StepForm(record=entrustment, auto_id=f"id_{a.value}_%s"))
        for a in Authority
        if can.get(workflow.step_action(a.value))
    ]
    return render(
        request,
        "agency/detail.html",
        {
            "entrustment": entrustment,
            "items": entrustment.items.select_related("service", "order").prefetch_related(
                "steps__by", "steps__documents"
            ),
            "events": entrustment.events.select_related("by__organisation"),
            "can": can,
            "step_forms": steps,
            "sign_form": forms.SignOnlineForm(),
            # Signing online needs an authenticator; a client without one is sent to add it.
            "has_authenticator": bool(second_factor.confirmed_devices(request.user)),
            "paper_form": forms.SignPaperForm(),
            "signing": entrustment.status == EntrustmentStatus.SIGNING,
        },
    )


@login_required
def printable(request: HttpRequest, number: str) -> HttpResponse:
    """The entrustment as a PDF to print, sign and upload back (WeasyPrint, fonts embedded)."""
    from weasyprint import HTML

    entrustment = _found(request, number)
    html = render_to_string(
        "agency/print.html",
        {"entrustment": entrustment, "items": entrustment.items.select_related("service")},
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{_quote(f'代办委托书{entrustment.number}.pdf')}"
    )
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


__all__ = ["AgencyStep", "detail", "mine", "new", "printable", "queue"]
