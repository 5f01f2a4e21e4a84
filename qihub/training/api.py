"""Trainings through the API: the public list, an event, publishing, enrolling, one's own hours
and pledge, and every enrolment step from the same table as the pages (`actions.ACTIONS`)."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from qihub.accounts.tokens import AUTH
from qihub.core.api import form_body, invalid
from qihub.core.workflow import Refused, WorkflowError
from qihub.training import pledges, staff, workflow
from qihub.training.actions import ACTIONS, describe
from qihub.training.forms import EventForm, VersionForm
from qihub.training.models import TrainingEvent

router = Router(tags=["培训与人员"], auth=AUTH)


def _event(e: TrainingEvent) -> dict:
    taken = e.taken()
    return {
        "number": e.number,
        "kind": e.kind,
        "kind_label": e.get_kind_display(),
        "topic": e.topic,
        "field_label": e.get_field_display(),
        "hours": str(e.hours),
        "starts_at": timezone.localtime(e.starts_at).isoformat(),
        "online": e.online,
        "place": e.place,
        "capacity": e.capacity,
        "left": max(0, e.capacity - taken),
        "fee": str(e.fee),
        "fee_label": e.fee_label,
        "enrol_by": timezone.localtime(e.enrol_by).isoformat(),
        "organiser": e.organiser.party_name,
    }


@router.get("/training/events", response={200: list[dict]}, summary="培训活动（公开）", auth=None)
def events(request: HttpRequest, q: str = "") -> list[dict]:
    rows = TrainingEvent.objects.select_related("organiser")
    for word in q.split():
        rows = rows.filter(topic__icontains=word)
    return [_event(e) for e in rows[:100]]


@router.get(
    "/training/events/{number}", response={200: dict, 404: dict}, summary="培训活动详情", auth=None
)
def event(request: HttpRequest, number: str) -> Status | dict:
    found = TrainingEvent.objects.filter(number=number).select_related("organiser").first()
    if found is None:
        return Status(404, {"detail": "没有该培训活动"})
    return _event(found)


@router.post(
    "/training/events",
    response={201: dict, 403: dict, 422: dict},
    summary="发布培训活动（平台运营人员、技术机构）",
)
@form_body(EventForm)
def publish(request: HttpRequest) -> Status:
    if not workflow.may_organise(request.user):
        return Status(403, {"detail": "只有平台运营人员和技术机构可以发布培训活动"})
    form = EventForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    return Status(201, _event(workflow.publish_event(by=request.user, **form.cleaned_data)))


@router.post(
    "/training/events/{number}/enrol",
    response={201: dict, 404: dict, 403: dict, 409: dict, 422: dict},
    summary="报名（名额已满时进入候补）",
)
@form_body(VersionForm)
def enrol(request: HttpRequest, number: str) -> Status:
    found = TrainingEvent.objects.filter(number=number).first()
    if found is None:
        return Status(404, {"detail": "没有该培训活动"})
    try:
        made = workflow.enrol(found, by=request.user)
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, describe(made, request.user))


@router.get("/training/enrolments", response={200: list[dict]}, summary="我的培训报名")
def my_enrolments(request: HttpRequest) -> list[dict]:
    rows = workflow.visible_enrolments(request.user).filter(participant=request.user)
    return [describe(e, request.user) for e in rows]


@router.get("/training/enrolments/{code}", response={200: dict, 404: dict}, summary="报名详情")
def enrolment(request: HttpRequest, code: str) -> Status | dict:
    from qihub.training.actions import visible

    found = visible(request.user, code)
    if found is None:
        return Status(404, {"detail": "没有该记录，或您无权查看"})
    return describe(found, request.user)


@router.get("/training/me", response={200: dict}, summary="本人本年培训学时、进度与保密承诺书")
def me(request: HttpRequest) -> dict:
    today = timezone.localdate()
    now = staff.standing(request.user, today)
    return {
        "year": today.year,
        "hours": str(now.hours),
        "pace": str(now.pace),
        "full_time": now.full_time,
        "behind_pace": now.behind,
        "valid_pledge": pledges.has_valid_pledge(request.user),
    }


ACTIONS.register_api(router, "/training/enrolments")
