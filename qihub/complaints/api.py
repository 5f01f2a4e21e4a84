"""Complaints and opinions through the API (CMP-1, CMP-2, CMP-3): the same forms and the same
action tables as the pages (`qihub.complaints.actions`).

Bodies are form-encoded with the page's field names; an invalid field gives 422
{"errors": {field: [message]}}, an actor the table refuses 403, a refused move 409 {"detail": …}.
"""

from typing import Any

from django.http import HttpRequest
from django_ratelimit.decorators import ratelimit
from ninja import Router, Status

from qihub.accounts.client_ip import ip_key, rate
from qihub.accounts.roles import is_back_office, is_client, is_decider
from qihub.accounts.tokens import AUTH
from qihub.complaints import forms, workflow
from qihub.complaints.actions import ACTIONS, OPINION_ACTIONS, visible, visible_opinion
from qihub.complaints.models import Complaint, Opinion, OpinionChannel
from qihub.core.api import form_body, invalid
from qihub.core.workflow import Refused, WorkflowError
from qihub.orders.models import Order

router = Router(tags=["投诉"], auth=AUTH)


def summary(complaint: Complaint, user: Any) -> dict:
    handler = is_decider(user)
    return {
        "number": complaint.number,
        "status": complaint.status,
        "status_label": complaint.get_status_display(),
        "target": complaint.target,
        "against": complaint.against(),
        "type": complaint.type.name,
        "channel": complaint.channel,
        "content": complaint.content,
        "request": complaint.request,
        "submitted_at": complaint.submitted_at.isoformat(),
        "version": complaint.version,
        "institution_response": complaint.institution_response,
        "outcome": complaint.outcome,
        "complainant_satisfied": complaint.complainant_satisfied,
        **(
            {
                "findings": complaint.findings,
                "substantiated": complaint.substantiated,
                "decision": complaint.decision,
            }
            if handler
            else {}
        ),
        "progress": [
            {"at": e["at"].isoformat(), "note": e["note"]}
            for e in complaint.progress(handler=handler)
        ],
        "actions": sorted(a for a, ok in ACTIONS.buttons(user, complaint).items() if ok),
    }


@router.get(
    "/complaints", response=list[dict], summary="我的投诉（机构：转交本机构的；工作人员：全部）"
)
def complaints(request: HttpRequest) -> list[dict]:
    rows = Complaint.objects.visible_to(request.user).select_related("type", "against_organisation")
    return [summary(c, request.user) for c in rows.prefetch_related("events")[:200]]


@router.post(
    "/complaints",
    response={201: dict, 403: dict, 409: dict, 422: dict},
    summary=(
        "投诉（target；against（机构名称或统一社会信用代码）、against_station 或 "
        "against_staff/against_name；type、content、request、order 可选）"
    ),
)
@form_body(forms.ComplaintForm)
def submit(request: HttpRequest) -> Status:
    if not is_client(request.user):
        return Status(403, {"detail": "只有企业或个人用户可以投诉"})
    form = forms.ComplaintForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    data = form.cleaned_data
    order = None
    if data["order"].strip():
        order = Order.objects.filter(number=data["order"].strip(), client=request.user).first()
        if order is None:
            return Status(422, {"errors": {"order": ["关联订单编号：没有投诉人的该订单"]}})
    try:
        complaint = workflow.submit(
            complainant=request.user,
            target=data["target"],
            complaint_type=data["type"],
            content=data["content"],
            request=data["request"],
            order=order,
            against_organisation=data.get("against_organisation"),
            against_name=data["against_name"],
            against_station=data.get("against_station"),
            against_staff=data.get("against_staff"),
        )
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, summary(complaint, request.user))


@router.get("/complaints/{number}", response={200: dict, 404: dict}, summary="投诉详情与办理进度")
def complaint(request: HttpRequest, number: str) -> Status:
    found = visible(request.user, number)
    if found is None:
        return Status(404, {"detail": "没有该投诉"})
    return Status(200, summary(found, request.user))


ACTIONS.register_api(router, "/complaints")


def opinion_summary(opinion: Opinion) -> dict:
    return {
        "number": opinion.number,
        "channel": opinion.channel,
        "channel_label": opinion.get_channel_display(),
        "kind": opinion.kind,
        "kind_label": opinion.get_kind_display(),
        "content": opinion.content,
        "contact": opinion.contact,
        "received_at": opinion.received_at.isoformat(),
        "status": opinion.status,
        "status_label": opinion.get_status_display(),
        "reply": opinion.reply,
        "improvement": opinion.improvement,
        "closed_at": opinion.closed_at.isoformat() if opinion.closed_at else None,
        "events": [
            {"kind": e.kind, "at": e.at.isoformat(), "note": e.note} for e in opinion.events.all()
        ],
    }


@router.get(
    "/opinions",
    response={200: list[dict], 403: dict},
    summary="意见建议与改进记录（平台工作人员）",
    tags=["意见建议"],
)
def opinions(request: HttpRequest) -> Status:
    if not is_back_office(request.user):
        return Status(403, {"detail": "只有平台工作人员可以查看意见建议"})
    rows = Opinion.objects.prefetch_related("events")[:200]
    return Status(200, [opinion_summary(o) for o in rows])


@router.post(
    "/opinions",
    response={201: dict, 403: dict, 409: dict, 422: dict},
    summary="提交意见（kind、content、contact 可选）；平台运营人员另填 channel 登记热线、窗口、来信意见",
    tags=["意见建议"],
)
@form_body(forms.OpinionForm)
@ratelimit(key=ip_key, rate=rate("opinion"), method="POST", block=True)
def submit_opinion(request: HttpRequest) -> Status:
    recording = bool(request.POST.get("channel", "").strip())
    if recording and not is_decider(request.user):
        return Status(403, {"detail": "只有平台运营人员可以登记热线、窗口和来信意见"})
    form = forms.OpinionForm(request.POST, staff=recording)
    if not form.is_valid():
        return invalid(form)
    data = form.cleaned_data
    try:
        opinion = workflow.submit_opinion(
            channel=data["channel"] if recording else OpinionChannel.BOX,
            kind=data["kind"],
            content=data["content"],
            contact=data["contact"],
            submitted_by=None if recording else request.user,
            recorded_by=request.user if recording else None,
        )
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, {"number": opinion.number, "status": opinion.status})


@router.get(
    "/opinions/{number}",
    response={200: dict, 404: dict},
    summary="意见详情与办理记录（平台工作人员）",
    tags=["意见建议"],
)
def opinion(request: HttpRequest, number: str) -> Status:
    found = visible_opinion(request.user, number)
    if found is None:
        return Status(404, {"detail": "没有该意见，或您无权查看"})
    return Status(200, opinion_summary(found))


OPINION_ACTIONS.register_api(router, "/opinions")
