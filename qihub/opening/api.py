"""Open resources through the API (INS-2): the public lists of labs and of results/standards
information, with the same filters as the pages."""

from django.http import HttpRequest
from ninja import Router, Status

from qihub.opening.models import Laboratory, OpenResult
from qihub.opening.tables import LabFilter, ResultFilter
from qihub.opening.views import public_labs, public_results

router = Router(tags=["资源开放"])

PAGE = 50


def _lab(lab: Laboratory) -> dict:
    return {
        "id": lab.pk,
        "name": lab.name,
        "organisation": lab.organisation.name,
        "area": float(lab.area),
        "capacity": lab.capacity,
        "equipped_for": lab.equipped_for,
        "free": lab.free,
        "price_per_hour": float(lab.price_per_hour) if lab.price_per_hour is not None else None,
        "price_label": lab.price_label(),
        "rules": lab.rules,
        "resource": lab.resource_id,
        "slot_minutes": lab.resource.slot_minutes,
    }


def _result(entry: OpenResult) -> dict:
    return {
        "id": entry.pk,
        "kind": entry.kind,
        "kind_label": entry.get_kind_display(),
        "title": entry.title,
        "field": entry.field,
        "organisation": entry.organisation.name,
        "contact_name": entry.contact_name,
        "contact_phone": entry.contact_phone,
        "terms": entry.terms,
        "terms_label": entry.get_terms_display(),
        "summary": entry.summary,
        "published_at": entry.created_at.date().isoformat(),
    }


def _page(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@router.get(
    "/open/labs",
    response={200: dict, 422: dict},
    summary="开放实验室（q 关键词，terms=free/paid，region 地区代码，page 页码）",
)
def labs(request: HttpRequest) -> Status | dict:
    found = LabFilter(request.GET, queryset=public_labs().select_related("resource"))
    if not found.is_valid():
        return Status(422, {"errors": {k: [str(m) for m in v] for k, v in found.errors.items()}})
    rows = found.qs.order_by("name", "id")
    start = (_page(request) - 1) * PAGE
    return {"count": rows.count(), "results": [_lab(lab) for lab in rows[start : start + PAGE]]}


@router.get(
    "/open/results",
    response={200: dict, 422: dict},
    summary="科研成果与标准信息（q 关键词，kind，terms，page 页码）",
)
def results(request: HttpRequest) -> Status | dict:
    found = ResultFilter(request.GET, queryset=public_results())
    if not found.is_valid():
        return Status(422, {"errors": {k: [str(m) for m in v] for k, v in found.errors.items()}})
    rows = found.qs
    start = (_page(request) - 1) * PAGE
    return {
        "count": rows.count(),
        "results": [_result(entry) for entry in rows[start : start + PAGE]],
    }
