"""The self-service kiosk (STA-3): a full-screen touch mode for a station's terminal.

Public information needs no log-in; printing a report needs the number and code printed on it
or the owner's phone QR; queue tickets and guide slips print on the terminal's printer. The
kiosk's session holds nothing personal and is flushed after 60 idle seconds (kiosk.js).
"""

from csp.decorators import csp_exempt
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from qihub.accounts.client_ip import ip_key, rate
from qihub.accounts.models import Station
from qihub.catalog.models import (
    CATEGORY_SUMMARIES,
    Category,
    Notice,
    NoticeStatus,
    PlatformInfo,
    ServiceItem,
)
from qihub.institutions.search import search
from qihub.kiosk import printing, tickets
from qihub.kiosk.forms import ReportCodeForm, TicketForm
from qihub.kiosk.models import QueueTicket

# The terminal's station, set once when it is installed (`/kiosk/?station=3`). A signed cookie,
# not the session: the idle reset flushes the session but the terminal stays where it is.
STATION_COOKIE = "qihub_kiosk_station"
STATION_SALT = "qihub.kiosk.station"


def terminal_station(request: HttpRequest) -> Station | None:
    try:
        pk = request.get_signed_cookie(STATION_COOKIE, salt=STATION_SALT)
    except (KeyError, signing.BadSignature):
        return None
    if not pk or not pk.isdigit():
        return None
    return Station.objects.filter(pk=int(pk), active=True).first()


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    context = {"station": terminal_station(request), "info": PlatformInfo.current(), **context}
    return render(request, template, context, status=status)


def start(request: HttpRequest) -> HttpResponse:
    chosen = request.GET.get("station", "")
    if chosen:
        station = Station.objects.filter(pk=chosen if chosen.isdigit() else 0, active=True).first()
        if station is None:
            return _render(request, "kiosk/start.html", {"setup_error": True}, status=404)
        response = redirect("kiosk:start")
        response.set_signed_cookie(
            STATION_COOKIE,
            str(station.pk),
            salt=STATION_SALT,
            max_age=10 * 365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
        )
        return response
    return _render(request, "kiosk/start.html", {})


@require_POST
def reset(request: HttpRequest) -> HttpResponse:
    """The idle timer's end: forget everything (a log-in too) and go back to the start page."""
    request.session.flush()
    return redirect("kiosk:start")


def guides(request: HttpRequest) -> HttpResponse:
    items = list(ServiceItem.objects.all())
    groups = [
        {
            "label": c.label,
            "summary": CATEGORY_SUMMARIES[c],
            "items": [i for i in items if i.category == c.value],
        }
        for c in Category
    ]
    return _render(request, "kiosk/guides.html", {"groups": [g for g in groups if g["items"]]})


def guide(request: HttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(ServiceItem, code=code)
    return _render(request, "kiosk/guide.html", {"item": item, "guide": item.current_guide()})


def guide_slip(request: HttpRequest, code: str) -> HttpResponse:
    """The consultation slip: the guide's essentials on paper, for the visitor to take along."""
    item = get_object_or_404(ServiceItem, code=code)
    return _render(
        request,
        "kiosk/slip.html",
        {"item": item, "guide": item.current_guide(), "now": timezone.now()},
    )


@ratelimit(key=ip_key, rate=rate("search"), method=ratelimit.ALL, block=True)
def institutions(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    results = search(query, limit=10) if query else []
    return _render(request, "kiosk/institutions.html", {"q": query, "results": results})


def stations(request: HttpRequest) -> HttpResponse:
    return _render(
        request, "kiosk/stations.html", {"stations": Station.objects.filter(active=True)}
    )


def notices(request: HttpRequest) -> HttpResponse:
    shown = Notice.objects.filter(status=NoticeStatus.PUBLISHED)[:20]
    return _render(request, "kiosk/notices.html", {"notices": shown})


def notice(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Notice, pk=pk, status=NoticeStatus.PUBLISHED)
    return _render(request, "kiosk/notice.html", {"notice": found})


@ratelimit(key=ip_key, rate=rate("kiosk_report"), method="POST", block=True)
def report(request: HttpRequest) -> HttpResponse:
    """Number + printed code, or the phone's QR token typed in by the scanner."""
    form = ReportCodeForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            found = printing.authorise(form.cleaned_data)
        except printing.NotAllowed as exc:
            error = str(exc)
        else:
            return redirect("kiosk:print_report", token=printing.print_token(found))
    status = 400 if request.method == "POST" else 200
    return _render(request, "kiosk/report.html", {"form": form, "error": error}, status=status)


def print_report(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = printing.by_print_token(token)
    except printing.NotAllowed as exc:
        return _render(
            request, "kiosk/report.html", {"form": ReportCodeForm(), "error": str(exc)}, 400
        )
    return _render(request, "kiosk/print_report.html", {"report": found, "token": token})


# A PDF runs no script; the page's CSP (frame-ancestors 'none', object-src 'none') would stop
# Chromium's viewer from showing it inside the print page.
@csp_exempt()
@xframe_options_sameorigin
def report_pdf(request: HttpRequest, token: str) -> HttpResponseBase:
    """The issued PDF, inline, for the print page's frame (same origin only)."""
    from qihub.accounts.uploads import open_stored

    try:
        found = printing.by_print_token(token)
    except printing.NotAllowed:
        raise Http404 from None
    response = FileResponse(
        open_stored(found.issued.stored_name),
        content_type="application/pdf",
        filename=f"{found.number}.pdf",
    )
    return response


def ticket(request: HttpRequest) -> HttpResponse:
    station = terminal_station(request)
    form = TicketForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and station is not None and form.is_valid():
        taken = tickets.take(station, form.cleaned_data["service"])
        return redirect("kiosk:ticket_print", pk=taken.pk)
    status = 400 if request.method == "POST" else 200
    return _render(request, "kiosk/ticket.html", {"form": form}, status=status)


def ticket_print(request: HttpRequest, pk: int) -> HttpResponse:
    station = terminal_station(request)
    # Only the terminal of the ticket's station reprints it.
    taken = get_object_or_404(QueueTicket, pk=pk, station=station)
    waiting = QueueTicket.objects.filter(
        station=taken.station, day=taken.day, number__lt=taken.number
    ).count()
    return _render(request, "kiosk/ticket_print.html", {"ticket": taken, "waiting": waiting})


@login_required
def phone_qr(request: HttpRequest, number: str) -> HttpResponse:
    """On the owner's phone: a QR the kiosk's scanner reads, valid for five minutes."""
    from qihub.orders.reports import qr_svg

    found = printing.owners_report(request.user, number)
    if found is None:
        raise Http404
    token = printing.phone_token(found)
    return render(
        request,
        "kiosk/phone_qr.html",
        {"order": found.order, "report": found, "qr": qr_svg(token), "minutes": 5},
    )
