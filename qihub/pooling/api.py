"""Pooled demands through the API (DEM-13): /api/v1/pooling/... — the same forms and the same
action table as the pages (`qihub.pooling.actions`)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from qihub.accounts.roles import is_handler
from qihub.accounts.tokens import AUTH
from qihub.core.api import form_body, invalid
from qihub.core.workflow import Refused, WorkflowError
from qihub.pooling import forms, grouping, workflow
from qihub.pooling.actions import ACTIONS, visible
from qihub.pooling.models import Batch

router = Router(tags=["集中打包需求"], auth=AUTH)


def _money(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def summary(batch: Batch, user: Any) -> dict:
    return {
        "number": batch.number,
        "title": batch.title,
        "status": batch.status,
        "status_label": batch.get_status_display(),
        "institution": batch.institution.name,
        "service": batch.service.name if batch.service else None,
        "price": _money(batch.price),
        "listed_price": _money(batch.listed_price),
        "saving": _money(batch.saving),
        "period_days": batch.period_days,
        "members": [
            {
                "demand": m.demand.number,
                "enterprise": m.demand.client.party_name if m.demand.client else "",
                "answer": m.answer,
                "answer_label": m.get_answer_display(),
                "order": m.order.number if m.order else None,
                "order_status_label": m.order.get_status_display() if m.order else None,
                "report": m.order.report.number if m.order and hasattr(m.order, "report") else None,
            }
            for m in batch.members.select_related("demand__client", "order")
        ],
        "actions": sorted(a for a, ok in ACTIONS.buttons(user, batch).items() if ok),
    }


@router.get(
    "/pooling/groups",
    response={200: list[dict], 403: dict, 422: dict},
    summary="相似的未办结需求分组（category=服务类别，words=行业或产品，region=地区代码）",
)
def groups(request: HttpRequest) -> Status:
    if not is_handler(request.user):
        return Status(403, {"detail": "只有平台工作人员或站点人员可以查看需求分组"})
    form = forms.GroupFilterForm(request.GET)
    if not form.is_valid():
        return invalid(form)
    data = form.cleaned_data
    found = grouping.groups(
        request.user, category=data["category"], region=data["region"], words=data["words"]
    )
    return Status(
        200,
        [
            {
                "label": g.label,
                "category_label": g.category_label,
                "enterprises": g.enterprises,
                "demands": [d.number for d in g.demands],
            }
            for g in found
        ],
    )


@router.get("/pooling/batches", response=list[dict], summary="打包批次（按角色可见范围）")
def batches(request: HttpRequest) -> list[dict]:
    rows = Batch.objects.visible_to(request.user).select_related("institution", "service")
    return [summary(b, request.user) for b in rows[:200]]


@router.post(
    "/pooling/batches",
    response={201: dict, 403: dict, 409: dict, 422: dict},
    summary="打包相似需求（title，institution=机构名称或统一社会信用代码，demands=需求编号，note）",
)
@form_body(forms.BatchForm)
def create(request: HttpRequest) -> Status:
    if not is_handler(request.user):
        return Status(403, {"detail": "只有平台工作人员或站点人员可以打包需求"})
    form = forms.BatchForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    data = form.cleaned_data
    try:
        batch = workflow.create(
            by=request.user,
            title=data["title"],
            institution=data["institution"],
            demands=data["demands"],
            note=data["note"],
        )
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, summary(batch, request.user))


@router.get(
    "/pooling/batches/{number}",
    response={200: dict, 404: dict},
    summary="打包批次详情：报价、各企业答复、订单与报告",
)
def batch(request: HttpRequest, number: str) -> Status:
    found = visible(request.user, number)
    if found is None:
        return Status(404, {"detail": "没有该批次，或您无权查看"})
    return Status(200, summary(found, request.user))


ACTIONS.register_api(router, "/pooling/batches")
