"""Demands through the API (DEM-*; OPS-3): the same forms, visibility and workflow as the pages.

Bodies are form-encoded (or multipart for an attachment) with the page's field names; an
invalid field gives 422 {"errors": {field: [message]}}, a refused move 409 {"detail": …}.
"""

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from qihub.accounts.roles import CLIENTS, HANDLERS, INSTITUTIONS
from qihub.accounts.tokens import AUTH
from qihub.core.api import form_body, invalid
from qihub.deadlines.queries import clocks_of, clocks_of_each
from qihub.demands import forms, workflow
from qihub.demands.actions import ACTIONS, visible
from qihub.demands.models import Demand, Recommendation, RecommendedInstitution

router = Router(tags=["服务需求"], auth=AUTH)


def summary(demand: Demand, user: object, clocks: list[dict] | None = None) -> dict:
    """The demand as the API shows it; a list passes each demand's `clocks`, read for all at
    once, and prefetches the shortlist (`with_shortlist`)."""
    now = timezone.now()
    clocks = clocks_of(demand, now) if clocks is None else clocks
    row = {
        "number": demand.number,
        "title": demand.title,
        "category": demand.category,
        "status": demand.status,
        "status_label": demand.get_status_display(),
        "channel": demand.channel,
        "region": demand.region,
        "version": demand.version,
        "urgent": demand.urgent,
        "urgent_reason": demand.urgent_reason,
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
            for c in clocks
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
                for i in _shortlist(recommendation)
            ],
        }
    return row


def with_shortlist(rows: QuerySet[Demand]) -> QuerySet[Demand]:
    """The recommendation and its included institutions fetched with the rows, not per row."""
    included = RecommendedInstitution.objects.filter(included=True).select_related("organisation")
    return rows.select_related("recommendation").prefetch_related(
        Prefetch("recommendation__items", queryset=included, to_attr="included_items")
    )


def _shortlist(recommendation: Recommendation) -> list[RecommendedInstitution]:
    if hasattr(recommendation, "included_items"):
        return recommendation.included_items
    return list(recommendation.items.filter(included=True).select_related("organisation"))


def _get(request: HttpRequest, number: str) -> Demand | None:
    # The action table's visibility, as the page: a caller's demand is visible to its claimant.
    return visible(request.user, number)


@router.get("/demands", response=list[dict], summary="我的需求（工作人员：未办结的全部需求）")
def demands(request: HttpRequest) -> list[dict]:
    rows = Demand.objects.visible_to(request.user).select_related("responsible")
    if request.user.role not in CLIENTS | INSTITUTIONS:
        rows = rows.filter(closed_at__isnull=True)
    page = list(with_shortlist(rows).order_by("-urgent", "-published_at")[:200])
    clocks = clocks_of_each(page, timezone.now())
    return [summary(d, request.user, clocks[d.pk]) for d in page]


@router.post(
    "/demands",
    response={201: dict, 403: dict, 409: dict, 422: dict},
    summary="发布需求（字段同网页表单）",
)
@form_body(forms.DemandForm)
def publish(request: HttpRequest) -> Status:
    if request.user.role not in CLIENTS:
        return Status(403, {"detail": "只有企业或个人用户可以发布需求"})
    form = forms.DemandForm(request.POST, request.FILES)
    if not form.is_valid():
        return invalid(form)
    try:
        demand = form.publish(client=request.user)
    except workflow.SimilarDemand as exc:
        return Status(409, {"detail": str(exc), "similar": exc.existing.number})
    except workflow.DemandError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, summary(demand, request.user))


@router.get(
    "/demands/follow-ups",
    response={200: list[dict], 403: dict},
    summary="待跟进的需求（跟踪回访时间点，已超期的在前）",
)
def follow_ups(request: HttpRequest) -> Status:
    """DEM-7: the same rows as the 待跟进 page; a contact through `contacts` meets a point."""
    from qihub.demands.followup import due_rows, to_follow_up

    if request.user.role not in HANDLERS:
        return Status(403, {"detail": "只有平台或站点工作人员可以查看待跟进的需求"})
    rows = due_rows(to_follow_up(request.user), timezone.now())
    return Status(
        200,
        [
            {
                "number": r["demand"].number,
                "title": r["demand"].title,
                "due_at": r["due_at"].isoformat(),
                "overdue": r["overdue"],
                "label": r["label"],
                "last_contact_at": r["last"].at.isoformat() if r["last"] else None,
            }
            for r in rows
        ],
    )


@router.get("/demands/{number}", response={200: dict, 404: dict}, summary="需求详情、时限与推荐")
def demand(request: HttpRequest, number: str) -> Status:
    found = _get(request, number)
    if found is None:
        return Status(404, {"detail": "没有该需求"})
    return Status(200, summary(found, request.user))


ACTIONS.register_api(router, "/demands")
