"""Samples through the API (ORD-4): the same forms, visibility and workflow as the pages."""

from django.http import HttpRequest
from ninja import Router, Status

from qihub.accounts.tokens import AUTH
from qihub.core.api import form_body, invalid
from qihub.core.workflow import Refused, WorkflowError
from qihub.orders.actions import visible as visible_order
from qihub.samples import forms, workflow
from qihub.samples.access import visible, visible_samples
from qihub.samples.actions import ACTIONS, describe

router = Router(tags=["样品收转"], auth=AUTH)


@router.get("/samples", response=list[dict], summary="样品（送样人、站点、检测机构各见其所属）")
def samples(request: HttpRequest) -> list[dict]:
    rows = visible_samples(request.user).prefetch_related("handovers")[:200]
    return [describe(s, request.user) for s in rows]


@router.post(
    "/orders/{number}/samples",
    response={201: dict, 403: dict, 404: dict, 409: dict, 422: dict},
    summary="为订单登记样品（name，quantity，retained，special=none，station=站点编号）",
)
@form_body(forms.RegisterForm)
def register(request: HttpRequest, number: str) -> Status:
    try:
        workflow.FLOW.check_actor(request.user, None, "register")
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    order = visible_order(request.user, number)
    if order is None or order.client_id != request.user.pk:
        return Status(404, {"detail": "没有该订单，或您无权查看"})
    form = forms.RegisterForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    data = form.cleaned_data
    try:
        sample = workflow.register(
            order,
            by=request.user,
            station=data["station"],
            name=data["name"],
            quantity=data["quantity"],
            retained=data["retained"],
            conditions=data["special"],
        )
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, describe(sample, request.user))


@router.get("/samples/{code}", response={200: dict, 404: dict}, summary="样品详情与交接记录")
def sample(request: HttpRequest, code: str) -> Status:
    found = visible(request.user, code)
    if found is None:
        return Status(404, {"detail": "没有该样品，或您无权查看"})
    return Status(200, describe(found, request.user))


ACTIONS.register_api(router, "/samples")
