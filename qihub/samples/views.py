"""Sample pages (ORD-4): register against an order, the sample's page (what a scanned label
opens), its printable label, the station's scan box and list with turnaround statistics."""

import re
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from qihub.accounts.roles import BACK_OFFICE, CLIENTS, STATION_STAFF
from qihub.core.actions import run_action
from qihub.core.lists import make_list
from qihub.demands.forms import VersionForm
from qihub.orders.actions import visible as visible_order
from qihub.samples import forms, workflow
from qihub.samples.access import visible, visible_samples
from qihub.samples.actions import ACTIONS
from qihub.samples.models import OPEN_SAMPLE_STATUSES, SampleStatus
from qihub.samples.tables import SampleFilter, SampleTable, StationStatsTable
from qihub.samples.turnaround import averages, legs
from qihub.workcal.services import load_calendar

CODE_PATTERN = re.compile(r"YP-\d{4}-\d{6}", re.IGNORECASE)


@login_required
def register(request: HttpRequest, number: str) -> HttpResponse:
    order = visible_order(request.user, number)
    if order is None or order.client_id != request.user.pk:
        raise Http404
    workflow.FLOW.check_actor(request.user, None, "register")
    form = forms.RegisterForm(request.POST or None)
    if request.method == "POST":
        created: dict[str, Any] = {}

        def act(data: dict) -> None:
            created["sample"] = workflow.register(
                order,
                by=request.user,
                station=data["station"],
                name=data["name"],
                quantity=data["quantity"],
                retained=data["retained"],
                conditions=data["special"],
            )

        if run_action(request, form, act, "样品已登记，请在站点营业时间内送样"):
            return redirect("samples:detail", code=created["sample"].code)
    return render(request, "samples/register.html", {"form": form, "order": order})


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    sample = visible(request.user, code)
    if sample is None:
        raise Http404
    version = {"version": sample.version}
    return render(
        request,
        "samples/detail.html",
        {
            "sample": sample,
            "can": ACTIONS.buttons(request.user, sample),
            "handovers": sample.handovers.all(),
            "events": sample.events.select_related("by__organisation"),
            "legs": legs(sample),
            "handover_code": workflow.shown_code(sample, request.user),
            "receive_form": forms.ReceiveForm(initial=version),
            "reason_form": forms.ReasonForm(initial=version),
            "dispatch_form": forms.DispatchForm(initial=version),
            "code_form": VersionForm(initial=version),
            "accept_form": forms.AcceptForm(initial=version),
            "handout_form": forms.HandOutForm(initial=version),
            "report": getattr(sample.order, "report", None),
        },
    )


@login_required
def label(request: HttpRequest, code: str) -> HttpResponse:
    """The printable label: the QR code encodes the sample page's address."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    sample = visible(request.user, code)
    if sample is None:
        raise Http404
    url = request.build_absolute_uri(reverse("samples:detail", kwargs={"code": sample.code}))
    image = qrcode.make(url, image_factory=SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    return render(request, "samples/label.html", {"sample": sample, "qr": mark_safe(svg)})  # noqa: S308


@login_required
def scan(request: HttpRequest) -> HttpResponse:
    """A keyboard-wedge scanner types the label's address (or the code) and Enter: open it."""
    text = request.GET.get("q", "").strip()
    found = CODE_PATTERN.search(text)
    sample = visible(request.user, found.group(0).upper()) if found else None
    if sample is None:
        messages.error(request, "扫码或输入样品编号：没有找到该样品，或该样品不属于您")
        return redirect("samples:list")
    return redirect("samples:detail", code=sample.code)


def station_stats(samples: Any) -> list[dict]:
    """One row per station: samples received, reports handed out, mean working time per leg."""
    by_station: dict[str, list] = defaultdict(list)
    for sample in samples.exclude(received_at=None).select_related("order__report"):
        by_station[sample.station.name].append(sample)
    calendar = load_calendar()
    rows = []
    for station, items in sorted(by_station.items()):
        rows.append(
            {
                "station": station,
                "total": len(items),
                "handed_out": sum(s.status == SampleStatus.HANDED_OUT for s in items),
                **averages(items, calendar),
            }
        )
    return rows


@login_required
def sample_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    samples = visible_samples(user)
    todo = request.GET.get("all") != "1" and user.role in STATION_STAFF
    shown = samples.filter(status__in=OPEN_SAMPLE_STATUSES) if todo else samples
    table = make_list(request, SampleTable, shown, filterset_class=SampleFilter)
    stats = None
    if user.role in STATION_STAFF | BACK_OFFICE:
        stats = make_list(request, StationStatsTable, station_stats(samples), prefix="stats-")
    if user.role in STATION_STAFF | BACK_OFFICE:
        title = "样品收转"
    else:
        title = "我的样品" if user.role in CLIENTS else "送检样品"
    return render(
        request,
        "samples/list.html",
        {
            "table": table,
            "stats": stats,
            "title": title,
            "todo": todo,
            "scan_form": forms.ScanForm(),
            "is_station": user.role in STATION_STAFF,
        },
    )
