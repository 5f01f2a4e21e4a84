"""The ledgers through the API (ENT-1, ENT-2): list, detail and import, with the same rules as
the pages."""

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Router, Status
from ninja.files import UploadedFile

from qihub.accounts.models import Role
from qihub.accounts.tokens import AUTH
from qihub.equipment import import_excel
from qihub.equipment.models import SPECIAL_KINDS, Item, ItemKind
from qihub.equipment.tables import InstrumentFilter, SpecialFilter, item_status, with_dates

router = Router(tags=["计量器具与特种设备"], auth=AUTH)
ANSWERS = {200: dict, 403: dict, 404: dict, 422: dict}


def _refuse(request: HttpRequest) -> Status | None:
    if request.user.role != Role.ENTERPRISE:
        return Status(403, {"detail": "只有企业用户可以使用设备台账"})
    return None


def _summary(item: Item) -> dict:
    return {
        "id": item.pk,
        "kind": item.kind,
        "kind_label": item.get_kind_display(),
        "name": item.name,
        "model": item.model,
        "serial": item.serial,
        "compulsory": item.compulsory,
        "registration_no": item.registration_no,
        "keeper": item.keeper,
        "next_due": item.next_due.isoformat() if item.next_due else None,
        "status": item_status(item),
    }


@router.get(
    "/equipment",
    response=ANSWERS,
    summary="本企业的计量器具或特种设备（special=true 为特种设备；status、kind、compulsory 筛选同页面）",
)
def items(
    request: HttpRequest,
    special: bool = False,
    status: str = "",
    kind: str = "",
    compulsory: str = "",
    q: str = "",
) -> Status | dict:
    refused = _refuse(request)
    if refused:
        return refused
    rows = Item.objects.filter(owner=request.user)
    rows = rows.filter(kind__in=SPECIAL_KINDS) if special else rows.filter(kind=ItemKind.INSTRUMENT)
    params = {"status": status, "kind": kind, "q": q}
    if not special:
        params["compulsory"] = compulsory
    filterset = (SpecialFilter if special else InstrumentFilter)(params, queryset=with_dates(rows))
    if not filterset.is_valid():
        return Status(
            422, {"errors": {f: [str(m) for m in ms] for f, ms in filterset.errors.items()}}
        )
    return {"items": [_summary(i) for i in filterset.qs.order_by("next_due", "id")]}


@router.get("/equipment/{int:pk}", response=ANSWERS, summary="一台设备：周期计划与证书记录")
def item(request: HttpRequest, pk: int) -> Status | dict:
    refused = _refuse(request)
    if refused:
        return refused
    # A path number beyond the database's integers is simply no such item (never a 500).
    found = (
        with_dates(Item.objects.filter(owner=request.user, pk=pk)).first()
        if 0 < pk < 2**62
        else None
    )
    if found is None:
        return Status(404, {"detail": "没有该设备"})
    today = timezone.localdate()
    schedules = []
    for s in found.schedules.all():
        s.item = found
        schedules.append(
            {
                "id": s.pk,
                "kind": s.kind,
                "kind_label": s.get_kind_display(),
                "cycle_months": s.cycle_months,
                "last_done": s.last_done.isoformat() if s.last_done else None,
                "due_on": s.due_on.isoformat(),
                "levels": s.sorted_levels(),
                "status": s.status_label(today),
                "demand": s.demand.number if s.demand else None,
                "certificates": [
                    {
                        "done_on": c.done_on.isoformat(),
                        "number": c.number,
                        "issuer": c.issuer,
                        "next_due": c.next_due.isoformat(),
                    }
                    for c in s.certificates.all()
                ],
            }
        )
    return {**_summary(found), "location": found.location, "schedules": schedules}


@router.post(
    "/equipment/import",
    response=ANSWERS,
    summary="按平台模板导入计量器具台账（任何一行出错则不导入）",
)
def import_ledger(request: HttpRequest, file: File[UploadedFile]) -> Status | dict:
    refused = _refuse(request)
    if refused:
        return refused
    if file.size > 5 * 1024 * 1024:
        return Status(422, {"errors": {"file": ["文件不能超过 5 MB"]}})
    outcome = import_excel.import_ledger(file.read(), request.user, today=timezone.localdate())
    if outcome.errors:
        return Status(422, {"errors": {"file": outcome.errors}})
    return {"instruments": outcome.instruments, "schedules": outcome.schedules}
