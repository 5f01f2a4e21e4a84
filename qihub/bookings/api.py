"""Bookings through the API (ORD-3): the free slots, booking one, the booker's own bookings, and
the booking's actions from the same table as the pages (`actions.ACTIONS`)."""

from django.http import HttpRequest
from ninja import Router, Status

from qihub.accounts.tokens import AUTH
from qihub.bookings import slots, views
from qihub.bookings.actions import ACTIONS, describe
from qihub.bookings.forms import BookForm
from qihub.bookings.models import Booking, Resource
from qihub.core.api import form_body, invalid
from qihub.core.workflow import Refused, WorkflowError

router = Router(tags=["预约"])
staff_router = Router(tags=["预约"], auth=AUTH)


@router.get(
    "/resources/{pk}/slots", response={200: dict, 404: dict}, summary="可预约时段（未来几天）"
)
def free_slots(request: HttpRequest, pk: int) -> Status | dict:
    resource = Resource.objects.filter(pk=pk).first()
    if resource is None:
        return Status(404, {"detail": "没有该预约资源"})
    return {
        "resource": resource.name,
        "slot_minutes": resource.slot_minutes,
        "days": [
            {"date": day.isoformat(), "slots": [{"start": s.key, "free": s.free} for s in row]}
            for day, row in slots.grid(resource)
        ],
    }


@staff_router.post(
    "/resources/{pk}/book",
    response={201: dict, 403: dict, 404: dict, 409: dict, 422: dict},
    summary="预约一个时段",
)
@form_body(BookForm)
def book(request: HttpRequest, pk: int) -> Status:
    resource = Resource.objects.filter(pk=pk).first()
    if resource is None:
        return Status(404, {"detail": "没有该预约资源"})
    form = BookForm(request.POST, resource=resource, user=request.user)
    if not form.is_valid():
        return invalid(form)
    try:
        booking = views.book_start(request, form.cleaned_data, resource)
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, describe(booking, request.user))


@staff_router.get("/bookings", response=list[dict], summary="我的预约")
def mine(request: HttpRequest) -> list[dict]:
    rows = Booking.objects.filter(user=request.user).select_related("resource")
    return [describe(b, request.user) for b in rows]


ACTIONS.register_api(staff_router, "/bookings")
router.add_router("", staff_router)
