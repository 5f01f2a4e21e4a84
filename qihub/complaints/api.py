"""Complaints through the API (CMP-1, CMP-2): the same form, the same actions table as the pages."""

from django.http import HttpRequest
from ninja import Router, Status
from ninja.security import django_auth

from qihub.complaints import forms, workflow
from qihub.complaints.models import Complaint
from qihub.complaints.views import ACTIONS, CLIENTS
from qihub.core.api import invalid
from qihub.orders.models import Order

router = Router(tags=["投诉"], auth=django_auth)


def _summary(complaint: Complaint, user: object) -> dict:
    handler = user.role in workflow.HANDLERS  # type: ignore[attr-defined]
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
    }


@router.get(
    "/complaints", response=list[dict], summary="我的投诉（机构：转交本机构的；工作人员：全部）"
)
def complaints(request: HttpRequest) -> list[dict]:
    rows = Complaint.objects.visible_to(request.user).select_related("type", "against_organisation")
    return [_summary(c, request.user) for c in rows.prefetch_related("events")[:200]]


@router.post(
    "/complaints",
    response={201: dict, 403: dict, 409: dict, 422: dict},
    summary="投诉（target、against_uscc 或 against_name、type、content、request、order 可选）",
)
def submit(request: HttpRequest) -> Status:
    if request.user.role not in CLIENTS:
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
        )
    except workflow.ComplaintError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, _summary(complaint, request.user))


@router.get("/complaints/{number}", response={200: dict, 404: dict}, summary="投诉详情与办理进度")
def complaint(request: HttpRequest, number: str) -> Status:
    found = Complaint.objects.visible_to(request.user).filter(number=number).first()
    if found is None:
        return Status(404, {"detail": "没有该投诉"})
    return Status(200, _summary(found, request.user))


@router.post(
    "/complaints/{number}/{action}",
    response={200: dict, 404: dict, 409: dict, 422: dict},
    summary="办理投诉：findings、forward、respond、decide、feedback、pause、resume、rate",
)
def act(request: HttpRequest, number: str, action: str) -> Status:
    found = Complaint.objects.visible_to(request.user).filter(number=number).first()
    if found is None or action not in ACTIONS:
        return Status(404, {"detail": "没有该投诉或该操作"})
    form_class, call, _ = ACTIONS[action]
    form = form_class(request.POST)
    if not form.is_valid():
        return invalid(form)
    try:
        call(found, request.user, form.cleaned_data)
    except workflow.ComplaintError as exc:
        return Status(409, {"detail": str(exc)})
    found.refresh_from_db()
    return Status(200, _summary(found, request.user))
