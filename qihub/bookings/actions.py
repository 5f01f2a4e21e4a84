"""The booking actions, one table for page and API (ADR 0009). Booking itself creates the record
and lives on the resource's page and `POST /api/v1/resources/{id}/book` (`views.book`, `api`)."""

from typing import Any

from django.db.models import Q

from qihub.accounts.models import Role, User
from qihub.bookings import workflow
from qihub.bookings.forms import AdjustForm, FinishForm, RefuseForm, VersionForm
from qihub.bookings.models import Booking
from qihub.bookings.slots import parse_start
from qihub.core.actions import Action, ActionTable
from qihub.workcal.calendar import TZ


def visible(user: User, number: str) -> Booking | None:
    """The booker, and the staff of the booked resource."""
    if not user.is_authenticated:
        return None
    mine = Q(user=user)
    if user.role == Role.STATION_STAFF and user.station_id is not None:
        mine |= Q(resource__station_id=user.station_id)
    if user.role == Role.INSTITUTION:
        mine |= Q(resource__organisation__account=user)
    return Booking.objects.select_related("resource", "user").filter(mine, number=number).first()


def describe(booking: Booking, user: Any) -> dict:
    return {
        "number": booking.number,
        "resource": booking.resource.name,
        "start": booking.start.astimezone(TZ).isoformat(),
        "end": booking.end.astimezone(TZ).isoformat(),
        "purpose": booking.purpose,
        "purpose_label": booking.get_purpose_display(),
        "status": booking.status,
        "status_label": booking.get_status_display(),
        "version": booking.version,
        "order": booking.order.number if booking.order_id else None,
        "demand": booking.demand.number if booking.demand_id else None,
    }


def _run(step: Any) -> Any:
    return lambda b, u, c: step(b, by=u, version=c.get("version"))


ACTIONS = ActionTable(
    workflow.FLOW,
    lookup=visible,
    detail="bookings:detail",
    describe=describe,
    actions=[
        Action("approve", VersionForm, _run(workflow.approve), "预约已确认", summary="确认预约"),
        Action(
            "adjust",
            AdjustForm,
            lambda b, u, c: workflow.adjust(
                b, parse_start(c["start"]), by=u, version=c.get("version")
            ),
            "已调整时间并确认预约",
            summary="调整时间并确认预约",
        ),
        Action(
            "refuse",
            RefuseForm,
            lambda b, u, c: workflow.refuse(b, by=u, reason=c["reason"], version=c.get("version")),
            "已拒绝该预约",
            summary="拒绝预约（须填写理由）",
        ),
        Action("cancel", VersionForm, _run(workflow.cancel), "预约已取消", summary="取消预约"),
        Action("check_in", VersionForm, _run(workflow.check_in), "已签到", summary="签到"),
        Action(
            "finish",
            FinishForm,
            lambda b, u, c: workflow.finish(
                b, by=u, version=c.get("version"), hours=c.get("hours"), samples=c.get("samples")
            ),
            "预约已办结",
            summary="办结预约（仪器可填写机时或样品数）",
        ),
        Action("no_show", VersionForm, _run(workflow.no_show), "已登记未到", summary="登记未到"),
        Action("lift", VersionForm, _run(workflow.lift), "已解除预约限制", summary="解除预约限制"),
    ],
)
