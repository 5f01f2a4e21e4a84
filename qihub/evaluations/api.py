"""Evaluations (EVAL-1) and rectifications (EVAL-9) through the API: the same rules as the pages.
The rectification's steps come from its action table (`evaluations.actions`)."""

from django.http import HttpRequest
from ninja import Router, Status

from qihub.accounts.roles import is_handler
from qihub.accounts.tokens import AUTH
from qihub.core.api import form_body, invalid
from qihub.core.workflow import Refused, WorkflowError
from qihub.evaluations import forms, workflow
from qihub.evaluations.actions import ACTIONS, describe, visible
from qihub.evaluations.models import INDICATORS
from qihub.orders.models import Order

router = Router(tags=["服务评价"], auth=AUTH)


@router.post(
    "/orders/{number}/evaluation",
    response={201: dict, 403: dict, 404: dict, 409: dict, 422: dict},
    summary="评价已完成的订单（五项指标 1–5 分，comment 可选）",
)
@form_body(forms.EvaluationForm)
def evaluate(request: HttpRequest, number: str) -> Status:
    order = Order.objects.visible_to(request.user).filter(number=number).first()
    if order is None:
        return Status(404, {"detail": "没有该订单"})
    staff = is_handler(request.user)
    form = forms.EvaluationForm(request.POST, staff=staff)
    if not form.is_valid():
        return invalid(form)
    data = form.cleaned_data
    try:
        evaluation = workflow.evaluate(
            order,
            by=request.user,
            scores={k: data[k] for k in INDICATORS},
            comment=data["comment"],
            channel=data.get("channel", "online"),
            entered_by=request.user if staff else None,
        )
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(
        201,
        {
            "order": order.number,
            "channel": evaluation.channel,
            **{k: getattr(evaluation, k) for k in INDICATORS},
        },
    )


@router.get(
    "/rectifications/{number}",
    response={200: dict, 404: dict},
    summary="整改详情（状态、计划、措施、复查结果，及当前可进行的操作）",
)
def rectification(request: HttpRequest, number: str) -> Status:
    r = visible(request.user, number)
    if r is None:
        return Status(404, {"detail": "没有该记录，或您无权查看"})
    return Status(200, describe(r, request.user))


ACTIONS.register_api(router, "/rectifications")
