from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_ratelimit.decorators import ratelimit
from ninja import Router, Status

from qihub.accounts.client_ip import ip_key, rate
from qihub.accounts.models import MemberKind, Organisation
from qihub.accounts.roles import is_back_office, is_institution
from qihub.accounts.tokens import AUTH
from qihub.catalog.models import Category
from qihub.core.api import form_body, invalid
from qihub.core.workflow import Refused, WorkflowError
from qihub.institutions.actions import ACTIONS as CHANGE_ACTIONS
from qihub.institutions.actions import summary as change_summary
from qihub.institutions.forms import CHANGE_FORMS
from qihub.institutions.models import ChangeKind, QualificationChange, QualificationType
from qihub.institutions.search import qualification_types, search
from qihub.institutions.workflow import CHANGES, listed_institutions
from qihub.institutions.workflow import submit_change as submit

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


# --- qualification and scope change requests (ACC-5, MATCH-3) ------------------------------
changes_router = Router(tags=["资质与能力范围变更"], auth=AUTH)


def _own_institution(user: object) -> Organisation | None:
    return Organisation.objects.filter(
        account_id=getattr(user, "pk", None),
        kind=MemberKind.INSTITUTION,
        deregistered_at__isnull=True,
    ).first()


@changes_router.get(
    "/institution/qualifications",
    response={200: list[dict], 403: dict},
    summary="本机构的资质及其能力范围（状态：有效/即将到期/已过期/已撤回）",
)
def my_qualifications(request: HttpRequest) -> Status:
    organisation = _own_institution(request.user)
    if organisation is None or not is_institution(request.user):
        return Status(403, {"detail": "只有技术机构可以查看本机构资质"})
    today = timezone.localdate()
    return Status(
        200,
        [
            {
                "id": q.pk,
                "type": q.type,
                "number": q.number,
                "issuer": q.issuer,
                "valid_from": q.valid_from.isoformat() if q.valid_from else None,
                "valid_until": q.valid_until.isoformat(),
                "status": q.status_on(today),
                "lines": [
                    {
                        "id": line.pk,
                        "category": line.category,
                        "verb": line.verb,
                        "object": line.object,
                        "parameter": line.parameter,
                        "standard": line.standard,
                        "limits": line.limits,
                        "withdrawn": line.withdrawn_at is not None,
                    }
                    for line in q.scope_lines.all()
                ],
            }
            for q in organisation.qualifications.prefetch_related("scope_lines")
        ],
    )


@changes_router.get(
    "/qualification-changes",
    response=list[dict],
    summary="资质变更申请（机构：本机构的；后台：全部）",
)
def list_changes(request: HttpRequest) -> list[dict]:
    rows = QualificationChange.objects.select_related("organisation", "qualification")
    if not is_back_office(request.user):
        rows = rows.filter(organisation__account_id=request.user.pk)
    return [change_summary(c) for c in rows[:200]]


@changes_router.post(
    "/qualification-changes/{kind}",
    response={201: dict, 403: dict, 404: dict, 409: dict, 422: dict},
    summary="机构提交资质变更申请（kind=add|renew|withdraw|lines；multipart，字段同网页表单；"
    "能力范围每列一个重复字段 line_category、line_verb、line_object …）",
)
@form_body(*CHANGE_FORMS.values())
def submit_change(request: HttpRequest, kind: str) -> Status:
    if kind not in CHANGE_FORMS:
        return Status(404, {"detail": f"申请事项应为 {', '.join(ChangeKind.values)} 之一"})
    try:
        CHANGES.check_actor(request.user, None, "submit")
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    organisation = _own_institution(request.user)
    form = CHANGE_FORMS[kind](request.POST, request.FILES, organisation=organisation)
    if not form.is_valid():
        return invalid(form)
    try:
        change = submit(organisation, by=request.user, kind=kind, data=form.cleaned_data)
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, change_summary(change))


CHANGE_ACTIONS.register_api(changes_router, "/qualification-changes")
router.add_router("", changes_router)
