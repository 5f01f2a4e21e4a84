"""Complaint pages: the one form, my complaints, the staff queue, one complaint with its clock;
the suggestion box and the opinions record. The record actions are served by the action tables
(`qihub.complaints.actions`), not here."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django_ratelimit.decorators import ratelimit

from qihub.accounts import callers
from qihub.accounts.client_ip import ip_key, rate
from qihub.accounts.models import Document, DocumentKind, MemberKind, Organisation
from qihub.accounts.permissions import role_required
from qihub.accounts.roles import (
    BACK_OFFICE,
    CLIENTS,
    DECIDERS,
    INSTITUTIONS,
    is_back_office,
    is_decider,
)
from qihub.accounts.uploads import upload_batch
from qihub.complaints import forms, workflow
from qihub.complaints.actions import ACTIONS, OPINION_ACTIONS, visible, visible_opinion
from qihub.complaints.models import Complaint, ComplaintStatus, Opinion, OpinionChannel
from qihub.complaints.tables import ComplaintFilter, ComplaintTable, OpinionFilter, OpinionTable
from qihub.core.exports import xlsx_response
from qihub.core.lists import make_list
from qihub.core.workflow import WorkflowError
from qihub.deadlines.models import ClockState
from qihub.deadlines.queries import clocks_of
from qihub.orders.models import Order


def get_complaint_for(user: object, number: str) -> Complaint:
    # The same visibility as the action table's, so the page and its actions agree on 404.
    complaint = visible(user, number)
    if complaint is None:
        raise Http404
    return complaint


def _submit(
    request: HttpRequest, form: forms.ComplaintForm, complainant: object, **extra: object
) -> Complaint | None:
    data = form.cleaned_data
    order = None
    if data["order"].strip():
        order = Order.objects.filter(number=data["order"].strip(), client=complainant).first()
        if order is None:
            form.add_error("order", "关联订单编号：没有投诉人的该订单")
            return None
    try:
        with upload_batch() as batch, transaction.atomic():
            documents = []
            if data.get("attachment"):
                documents.append(
                    Document.objects.create(
                        # A caller has no account: the staff member who entered it keeps the file.
                        owner=complainant or extra["entered_by"],
                        kind=DocumentKind.SUPPORTING,
                        **batch.store(data["attachment"]),
                    )
                )
            return workflow.submit(
                complainant=complainant,
                target=data["target"],
                complaint_type=data["type"],
                content=data["content"],
                request=data["request"],
                against_organisation=data.get("against_organisation"),
                against_name=data["against_name"],
                against_station=data.get("against_station"),
                against_staff=data.get("against_staff"),
                order=order,
                documents=documents,
                **extra,
            )
    except WorkflowError as exc:
        form.add_error(None, str(exc))
    return None


@role_required(*CLIENTS)
def new(request: HttpRequest) -> HttpResponse:
    form = forms.ComplaintForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "order": request.GET.get("order", ""),
            # The order page links here with the institution's USCC; the box shows its name.
            "against": Organisation.objects.filter(
                uscc=request.GET.get("against", "")[:18], kind=MemberKind.INSTITUTION
            ).first(),
        },
    )
    if request.method == "POST" and form.is_valid():
        complaint = _submit(request, form, request.user)
        if complaint:
            messages.success(
                request, f"投诉 {complaint.number} 已受理，平台将在 7 个工作日内反馈处理结果"
            )
            return redirect("complaints:detail", number=complaint.number)
    return render(
        request,
        "complaints/new.html",
        {"form": form, "staff": False},
        status=400 if form.errors else 200,
    )


@role_required(*DECIDERS)
def staff_new(request: HttpRequest) -> HttpResponse:
    form = forms.StaffComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        complaint = _submit(
            request,
            form,
            form.cleaned_data["complainant"],
            channel=form.cleaned_data["channel"],
            entered_by=request.user,
            caller=form.caller(),
            link_base=request.build_absolute_uri("/"),
        )
        if complaint:
            messages.success(request, f"已登记投诉 {complaint.number}")
            return redirect("complaints:detail", number=complaint.number)
    return render(
        request,
        "complaints/new.html",
        {"form": form, "staff": True},
        status=400 if form.errors else 200,
    )


@role_required(*CLIENTS)
def mine(request: HttpRequest) -> HttpResponse:
    rows = Complaint.objects.filter(complainant=request.user)
    claimable = [
        {
            "number": c.number,
            "title": c.type.name,
            "status": c.get_status_display(),
            "detail_url": reverse("complaints:detail", args=[c.number]),
            "claim_url": reverse("complaints:claim", args=[c.number]),
        }
        for c in Complaint.objects.filter(
            callers.claimable(request.user), complainant=None
        ).select_related("type")
    ]
    return complaint_list(
        request,
        rows,
        "我的投诉",
        empty_action=("我要投诉", reverse("complaints:new")),
        extra={"claimable": claimable, "claimable_what": "投诉"},
    )


@role_required(*INSTITUTIONS)
def institution(request: HttpRequest) -> HttpResponse:
    return complaint_list(request, Complaint.objects.visible_to(request.user), "转交本机构的投诉")


@role_required(*BACK_OFFICE)
def queue(request: HttpRequest) -> HttpResponse:
    rows = Complaint.objects.exclude(status=ComplaintStatus.CLOSED)
    return complaint_list(request, rows, "投诉处理（未办结）", staff=True)


def complaint_list(
    request: HttpRequest,
    rows: QuerySet[Complaint],
    title: str,
    *,
    staff: bool = False,
    empty_action: tuple[str, str] | None = None,
    extra: dict | None = None,
) -> HttpResponse:
    # The type and whoever is complained about are read on every row.
    rows = rows.select_related("type", "against_organisation", "against_station", "against_staff")
    table = make_list(
        request, ComplaintTable, rows, filterset_class=ComplaintFilter, empty_action=empty_action
    )
    context = {"table": table, "title": title, "staff": staff, **(extra or {})}
    return render(request, "complaints/list.html", context)


def detail(request: HttpRequest, number: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    complaint = get_complaint_for(request.user, number)
    handler = is_decider(request.user)
    clock = workflow.clock_of(complaint)
    version = {"version": complaint.version}
    return render(
        request,
        "complaints/detail.html",
        {
            "complaint": complaint,
            "clocks": clocks_of(complaint, timezone.now()),
            "clock_running": clock is not None and clock.state == ClockState.RUNNING,
            "clock_paused": clock is not None and clock.state == ClockState.PAUSED,
            "handler": handler,
            "events": complaint.progress(handler=handler),
            "decide_form": forms.DecideForm(initial=version),
            "can": ACTIONS.buttons(request.user, complaint),
            "may_rectify": is_back_office(request.user) and complaint.substantiated,
            "caller": _caller_shown(complaint, request.user),
            "staff_groups": forms.staff_choices("username") if complaint.target == "staff" else [],
        },
    )


def _caller_shown(complaint: Complaint, user: object) -> dict | None:
    """A complainant without an account, for the back office: in full to the complaint's
    handlers (who entered it or recorded a step of it), masked to other staff (ADR 0012)."""
    if complaint.caller is None or not is_back_office(user):
        return None
    handler = is_decider(user) and (
        complaint.entered_by_id == user.pk or complaint.events.filter(by=user).exists()
    )
    return {
        **callers.shown(complaint.caller, viewer=user, full=handler),
        "sms_sent": complaint.caller.sms_sent_at is not None,
        "claimed": complaint.caller.claimed_at is not None,
    }


@ratelimit(key=ip_key, rate=rate("opinion"), method="POST", block=True)
def opinion_new(request: HttpRequest) -> HttpResponse:
    """The suggestion box: open to everyone, signed in or not (CMP-3)."""
    form = forms.OpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            opinion = workflow.submit_opinion(
                channel=OpinionChannel.BOX,
                kind=data["kind"],
                content=data["content"],
                contact=data["contact"],
                submitted_by=request.user,
            )
        except WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"感谢您的意见（编号 {opinion.number}），我们会认真研究并改进"
            )
            return redirect("complaints:opinion_new")
    return render(
        request, "complaints/opinion_new.html", {"form": form}, status=400 if form.errors else 200
    )


OPINION_COLUMNS = [
    ("编号", "number"),
    ("渠道", "channel"),
    ("类别", "kind"),
    ("内容", "content"),
    ("收到时间", "received_at"),
    ("状态", "status"),
    ("答复", "reply"),
    ("改进措施", "improvement"),
    ("处理时间", "closed_at"),
]


@role_required(*BACK_OFFICE)
def opinions(request: HttpRequest) -> HttpResponse:
    """All opinions with the improvement each led to; staff record hotline calls here."""
    rows = Opinion.objects.select_related("handled_by")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "意见建议与改进记录.xlsx",
            "意见建议",
            [c for c, _ in OPINION_COLUMNS],
            [
                [
                    o.number,
                    o.get_channel_display(),
                    o.get_kind_display(),
                    o.content,
                    o.received_at,
                    o.get_status_display(),
                    o.reply,
                    o.improvement,
                    o.closed_at,
                ]
                for o in rows
            ],
        )
    may_record = is_decider(request.user)
    form = forms.OpinionForm(request.POST or None, staff=True)
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied("只有平台运营人员可以登记意见")
        if form.is_valid():
            try:
                data = form.cleaned_data
                recorded = workflow.submit_opinion(
                    channel=data["channel"],
                    kind=data["kind"],
                    content=data["content"],
                    contact=data["contact"],
                    recorded_by=request.user,
                )
            except WorkflowError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"已登记意见 {recorded.number}")
                return redirect("complaints:opinions")

    def with_buttons(found: QuerySet[Opinion]) -> list[Opinion]:
        listed = list(found)
        for row in listed:
            row.can = OPINION_ACTIONS.buttons(request.user, row)  # type: ignore[attr-defined]
        return listed

    table = make_list(request, OpinionTable, rows, filterset_class=OpinionFilter, rows=with_buttons)
    return render(
        request,
        "complaints/opinions.html",
        {
            "table": table,
            "form": form,
            "may_record": may_record,
            "close_form": forms.CloseOpinionForm(),
        },
        status=400 if form.errors else 200,
    )


@role_required(*BACK_OFFICE)
def opinion(request: HttpRequest, number: str) -> HttpResponse:
    """One opinion with its history; the close form when the viewer may close it."""
    found = visible_opinion(request.user, number)
    if found is None:
        raise Http404
    return render(
        request,
        "complaints/opinion.html",
        {
            "opinion": found,
            "events": found.events.select_related("by__organisation"),
            "close_form": forms.CloseOpinionForm(),
            "can": OPINION_ACTIONS.buttons(request.user, found),
        },
    )
