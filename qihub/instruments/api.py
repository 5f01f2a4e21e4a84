"""Shared instruments through the API (INS-1): the public list (same Chinese search as the page)
and one instrument with its free slots. Booking goes through `POST /api/v1/resources/{id}/book`
(the one booking mechanism)."""

from django.http import HttpRequest
from ninja import Router, Status

from qihub.bookings import slots
from qihub.instruments import services
from qihub.instruments.models import Instrument

router = Router(tags=["共享仪器"])


def describe(instrument: Instrument) -> dict:
    return {
        "id": instrument.pk,
        "resource": instrument.resource_id,
        "name": instrument.name,
        "model": instrument.model,
        "maker": instrument.maker,
        "capabilities": instrument.capabilities,
        "location": instrument.location,
        "owner": instrument.owner.name,
        "modes": instrument.modes,
        "modes_label": instrument.mode_labels(),
        "free": instrument.free,
        "price_per_sample": instrument.price_per_sample,
        "price_per_hour": instrument.price_per_hour,
        "price_label": instrument.price_text(),
        "rules": instrument.rules,
        "needs_approval": instrument.resource.needs_approval,
    }


@router.get("/instruments", response=list[dict], summary="共享仪器（可用中文检索）")
def instrument_list(request: HttpRequest, q: str = "") -> list[dict]:
    rows = Instrument.objects.filter(listed=True).select_related("owner", "resource")
    if q.strip():
        rows = services.search(rows, q)
    return [describe(i) for i in rows[:200]]


@router.get(
    "/instruments/{pk}", response={200: dict, 404: dict}, summary="共享仪器详情与可预约时段"
)
def instrument_detail(request: HttpRequest, pk: int) -> Status | dict:
    instrument = (
        Instrument.objects.filter(pk=pk, listed=True).select_related("owner", "resource").first()
    )
    if instrument is None:
        return Status(404, {"detail": "没有该共享仪器"})
    return {
        **describe(instrument),
        "days": [
            {"date": day.isoformat(), "slots": [{"start": s.key, "free": s.free} for s in row]}
            for day, row in slots.grid(instrument.resource)
        ],
    }
