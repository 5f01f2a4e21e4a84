from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_ratelimit.decorators import ratelimit
from ninja import Router, Status

from qihub.accounts.client_ip import ip_key, rate
from qihub.catalog.models import Category
from qihub.institutions.models import QualificationType
from qihub.institutions.search import qualification_types, search
from qihub.institutions.workflow import listed_institutions

router = Router(tags=["技术机构"])


def _filter_errors(category: str, region: str, qualification: str) -> dict[str, list[str]]:
    errors = {}
    if category and category not in Category.values:
        errors["category"] = ["服务分类：不是可选的值"]
    if region and not (region.isdigit() and len(region) in (2, 4, 6)):
        errors["region"] = ["地区：应为 2、4 或 6 位行政区划代码"]
    if qualification and qualification not in QualificationType.values:
        errors["qualification"] = ["资质类型：不是可选的值"]
    return errors


@router.get(
    "/institutions",
    response={200: list[dict], 422: dict},
    summary="检索技术机构（资质有效、能力范围覆盖检索词）",
)
@ratelimit(key=ip_key, rate=rate("search"), method=ratelimit.ALL, block=True)
def institutions(
    request: HttpRequest,
    q: str = "",
    category: str = "",
    region: str = "",
    qualification: str = "",
    limit: int = 20,
) -> Status:
    errors = _filter_errors(category, region, qualification)
    if errors:
        return Status(422, {"errors": errors})
    return Status(200, _found(q[:100], category, region, qualification, max(1, min(limit, 100))))


def _found(q: str, category: str, region: str, qualification: str, limit: int) -> list[dict]:
    today = timezone.localdate()
    if not (q or category or region or qualification):
        rows = listed_institutions().prefetch_related("qualifications").order_by("name")[:limit]
        return [_row(org, today) for org in rows]
    hits = search(q, category=category, region=region, qualification=qualification, limit=limit)
    return [
        {**_row(hit.organisation, today), "score": hit.score, "matched_scope": hit.highlighted}
        for hit in hits
    ]


@router.get(
    "/institutions/{uscc}/services",
    response=list[dict],
    summary="技术机构发布的服务项目（服务周期、价格）",
)
def services(request: HttpRequest, uscc: str) -> list[dict]:
    organisation = get_object_or_404(listed_institutions(), uscc=uscc.upper())
    return [
        {
            "id": s.pk,
            "name": s.name,
            "category": s.category,
            "description": s.description,
            "period_working_days": s.period_days,
            "pricing": s.pricing,
            "price": str(s.price) if s.price is not None else None,
            "price_unit": s.price_unit,
            "catalogue_item": s.catalogue_item.code if s.catalogue_item else None,
        }
        for s in organisation.services.filter(published=True).select_related("catalogue_item")
    ]


def _row(org: object, today: object) -> dict:
    return {
        "uscc": org.uscc,
        "name": org.name,
        "region": org.region,
        "qualification_types": qualification_types(org, today),
        "qualifications": [
            {"type": q.type, "number": q.number, "valid_until": q.valid_until.isoformat()}
            for q in org.qualifications.all()
        ],
    }
