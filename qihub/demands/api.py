"""Demands through the API (DEM-*; OPS-3): the same forms, visibility and workflow as the pages.

Bodies are form-encoded (or multipart for an attachment) with the page's field names; an
invalid field gives 422 {"errors": {field: [message]}}, a refused move 409 {"detail": …}.
"""

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.security import django_auth

from qihub.accounts.models import Role
from qihub.core.api import invalid
from qihub.deadlines.queries import clocks_of
from qihub.demands import forms, workflow
from qihub.demands.models import Demand
from qihub.demands.views import CLIENTS, HANDLERS

router = Router(tags=["服务需求"], auth=django_auth)


def _summary(demand: Demand, user: object) -> dict:
    now = timezone.now()
    row = {
        "number": demand.number,
        "title": demand.title,
        "category": demand.category,
        "status": demand.status,
        "status_label": demand.get_status_display(),
        "channel": demand.channel,
        "region": demand.region,
        "version": demand.version,
        "published_at": demand.published_at.isoformat(),
        "responsible": (demand.responsible.display_name or demand.responsible.username)
        if demand.responsible
        else None,
        "clocks": [
            {
                "name": c["name"],
                "due_at": c["due_at"].isoformat(),
                "label": c["label"],
                "overdue": c["overdue"],
            }
            for c in clocks_of(demand, now)
        ],
    }
    recommendation = getattr(demand, "recommendation", None)
    if recommendation and (recommendation.sent_at or user.role in HANDLERS):
        row["recommendation"] = {
            "sent_at": recommendation.sent_at.isoformat() if recommendation.sent_at else None,
            "institutions": [
                {
                    "uscc": i.organisation.uscc,
                    "name": i.organisation.name,
                    "score": i.score,
                    "reasons": i.reasons,
                }
                for i in recommendation.items.filter(included=True).select_related("organisation")
            ],
        }
    return row


def _get(request: HttpRequest, number: str) -> Demand | None:
    return Demand.objects.visible_to(request.user).filter(number=number).first()


@router.get("/demands", response=list[dict], summary="我的需求（工作人员：未办结的全部需求）")
def demands(request: HttpRequest) -> list[dict]:
    rows = Demand.objects.visible_to(request.user).select_related("responsible")
    if request.user.role not in CLIENTS and request.user.role != Role.INSTITUTION:
        rows = rows.filter(closed_at__isnull=True)
    return [_summary(d, request.user) for d in rows.order_by("-published_at")[:200]]


@router.post(
    "/demands",
    response={201: dict, 403: dict, 409: dict, 422: dict},
    summary="发布需求（字段同网页表单）",
)
def publish(request: HttpRequest) -> Status:
    if request.user.role not in CLIENTS:
        return Status(403, {"detail": "只有企业或个人用户可以发布需求"})
    form = forms.DemandForm(request.POST, request.FILES)
    if not form.is_valid():
        return invalid(form)
    try:
        demand = workflow.publish(
            client=request.user,
            data=form.demand_data(),
            allow_similar=form.cleaned_data["allow_similar"],
        )
    except workflow.SimilarDemand as exc:
        return Status(409, {"detail": str(exc), "similar": exc.existing.number})
    except workflow.DemandError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, _summary(demand, request.user))


@router.get("/demands/{number}", response={200: dict, 404: dict}, summary="需求详情、时限与推荐")
def demand(request: HttpRequest, number: str) -> Status:
    found = _get(request, number)
    if found is None:
        return Status(404, {"detail": "没有该需求"})
    return Status(200, _summary(found, request.user))


def _staff_action(
    request: HttpRequest, number: str, form_class: type, action: object, staff_only: bool = True
) -> Status:
    """Any party's action; `staff_only` refuses others before the workflow's own checks."""
    found = _get(request, number)
    if found is None:
        return Status(404, {"detail": "没有该需求"})
    if staff_only and request.user.role not in HANDLERS:
        return Status(403, {"detail": "只有平台工作人员可以办理"})
    form = form_class(request.POST)
    if not form.is_valid():
        return invalid(form)
    try:
        action(found, form.cleaned_data)
    except workflow.DemandError as exc:
        return Status(409, {"detail": str(exc)})
    found.refresh_from_db()
    return Status(200, _summary(found, request.user))


@router.post(
    "/demands/{number}/respond",
    response={200: dict, 403: dict, 404: dict, 409: dict, 422: dict},
    summary="响应需求（成为第一受理人）",
)
def respond(request: HttpRequest, number: str) -> Status:
    return _staff_action(
        request,
        number,
        forms.RespondForm,
        lambda d, c: workflow.respond(d, by=request.user, version=c["version"], note=c["note"]),
    )


@router.post(
    "/demands/{number}/recommendation/send",
    response={200: dict, 403: dict, 404: dict, 409: dict, 422: dict},
    summary="发送推荐名单",
)
def send(request: HttpRequest, number: str) -> Status:
    return _staff_action(
        request,
        number,
        forms.SendForm,
        lambda d, c: workflow.send_recommendation(
            d, by=request.user, version=c["version"], note=c["note"]
        ),
    )


ACTION = {200: dict, 403: dict, 404: dict, 409: dict, 422: dict}


@router.post(
    "/demands/{number}/reassign", response=ACTION, summary="变更第一受理人（to=人员编号，reason）"
)
def reassign(request: HttpRequest, number: str) -> Status:
    return _staff_action(
        request,
        number,
        forms.ReassignForm,
        lambda d, c: workflow.reassign(
            d, to=c["to"], by=request.user, version=c["version"], reason=c["reason"]
        ),
    )


@router.post(
    "/demands/{number}/recommendation",
    response=ACTION,
    summary="编辑推荐名单（included=机构编号，可多值；add_uscc）",
)
def shortlist(request: HttpRequest, number: str) -> Status:
    from qihub.accounts.models import Organisation

    def edit(demand: Demand, data: dict) -> None:
        add = None
        if data["add_uscc"].strip():
            add = Organisation.objects.filter(uscc=data["add_uscc"].strip().upper()).first()
            if add is None:
                raise workflow.DemandError("添加机构：没有该统一社会信用代码的机构")
        workflow.edit_shortlist(
            demand, by=request.user, version=data["version"], included=data["included"], add=add
        )

    return _staff_action(request, number, forms.ShortlistForm, edit)


@router.post("/demands/{number}/referral", response=ACTION, summary="登记平台外机构查找并反馈企业")
def refer(request: HttpRequest, number: str) -> Status:
    return _staff_action(
        request,
        number,
        forms.ReferForm,
        lambda d, c: workflow.refer_outside(
            d,
            by=request.user,
            version=c["version"],
            searched=c["searched"],
            found=c["found"],
            feedback=c["feedback"],
        ),
    )


@router.post("/demands/{number}/contacts", response=ACTION, summary="沟通、跟踪回访、问题协调记录")
def contact(request: HttpRequest, number: str) -> Status:
    return _staff_action(
        request,
        number,
        forms.ContactForm,
        lambda d, c: workflow.log_contact(
            d,
            by=request.user,
            kind=c["kind"],
            method=c["method"],
            with_whom=c["with_whom"],
            summary=c["summary"],
        ),
        staff_only=False,
    )


@router.post("/demands/{number}/change", response=ACTION, summary="变更服务内容（留痕）")
def change(request: HttpRequest, number: str) -> Status:
    keys = ("title", "description", "product", "standard", "wished_by")
    return _staff_action(
        request,
        number,
        forms.ChangeForm,
        lambda d, c: workflow.change_service(
            d,
            by=request.user,
            version=c["version"],
            changes={k: c[k] for k in keys},
            reason=c["reason"],
        ),
        staff_only=False,
    )


@router.post("/demands/{number}/withdraw", response=ACTION, summary="撤回需求（提出人）")
def withdraw(request: HttpRequest, number: str) -> Status:
    return _staff_action(
        request,
        number,
        forms.CloseForm,
        lambda d, c: workflow.withdraw(d, by=request.user, version=c["version"], reason=c["note"]),
        staff_only=False,
    )


@router.post("/demands/{number}/close", response=ACTION, summary="办结需求")
def close(request: HttpRequest, number: str) -> Status:
    return _staff_action(
        request,
        number,
        forms.CloseForm,
        lambda d, c: workflow.close(d, by=request.user, version=c["version"], note=c["note"]),
    )
