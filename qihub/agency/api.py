"""Full agency through the API (DEM-11): /api/v1/agency/entrustments — the same forms and the
same action table as the pages (`qihub.agency.actions`).

Bodies are form-encoded with the page's field names; an invalid field gives 422
{"errors": {field: [message]}}, an actor the table refuses 403, a refused move 409 {"detail": …}.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from qihub.accounts.roles import is_client
from qihub.accounts.tokens import AUTH
from qihub.agency import forms, workflow
from qihub.agency.actions import ACTIONS, visible
from qihub.agency.models import Entrustment
from qihub.core.api import form_body, invalid
from qihub.core.workflow import Refused, WorkflowError

router = Router(tags=["全程代办"], auth=AUTH)


def summary(entrustment: Entrustment, user: Any) -> dict:
    return {
        "number": entrustment.number,
        "status": entrustment.status,
        "status_label": entrustment.get_status_display(),
        "client": entrustment.client.shown_name,
        "station": entrustment.station.name,
        "agent": entrustment.agent.shown_name,
        "authorities": list(entrustment.authorities),
        "authority_labels": entrustment.authority_labels(),
        "handed_over": entrustment.handed_over,
        "period_from": entrustment.period_from.isoformat(),
        "period_to": entrustment.period_to.isoformat(),
        "signed_by": entrustment.signed_by,
        "signed_at": entrustment.signed_at.isoformat() if entrustment.signed_at else None,
        "items": [
            {
                "id": item.pk,
                "service": item.service.name,
                "task": item.task,
                "order": item.order.number if item.order else None,
                "status": item.status,
                "status_label": item.get_status_display(),
                "steps": [
                    {
                        "kind": s.kind,
                        "kind_label": s.get_kind_display(),
                        "note": s.note,
                        "at": s.at.isoformat(),
                        "documents": [d.original_name for d in s.documents.all()],
                    }
                    for s in item.steps.all()
                ],
            }
            for item in entrustment.items.select_related("service", "order").prefetch_related(
                "steps__documents"
            )
        ],
        "actions": sorted(a for a, ok in ACTIONS.buttons(user, entrustment).items() if ok),
    }


@router.get(
    "/agency/entrustments",
    response=list[dict],
    summary="代办委托书（委托人：本人的；代办人：受托的及本站点的）",
)
def entrustments(request: HttpRequest) -> list[dict]:
    rows = Entrustment.objects.visible_to(request.user).select_related("client", "agent", "station")
    return [summary(e, request.user) for e in rows[:200]]


@router.post(
    "/agency/entrustments",
    response={201: dict, 403: dict, 409: dict, 422: dict},
    summary=(
        "填写代办委托书（agent=代办人编号；item_1..3=服务事项编号，task_1..3=代办内容，"
        "order_1..3=关联订单编号可选；authorities；handed_over；attachment；period_from/period_to）"
    ),
)
@form_body(forms.EntrustmentForm)
def create(request: HttpRequest) -> Status:
    if not is_client(request.user):
        return Status(403, {"detail": "只有企业或个人用户可以委托代办"})
    form = forms.EntrustmentForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return invalid(form)
    data = form.cleaned_data
    try:
        entrustment = workflow.create(
            client=request.user,
            agent=data["agent"],
            items=data["items"],
            authorities=data["authorities"],
            handed_over=data["handed_over"],
            period_from=data["period_from"],
            period_to=data["period_to"],
            files=[data["attachment"]],
        )
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, summary(entrustment, request.user))


@router.get(
    "/agency/entrustments/{number}",
    response={200: dict, 404: dict},
    summary="代办委托书详情与每一步办理情况",
)
def entrustment(request: HttpRequest, number: str) -> Status:
    found = visible(request.user, number)
    if found is None:
        return Status(404, {"detail": "没有该委托书，或您无权查看"})
    return Status(200, summary(found, request.user))


ACTIONS.register_api(router, "/agency/entrustments")
