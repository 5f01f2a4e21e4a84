"""Evaluating an order through the API (EVAL-1): the same rules as the page."""

from django.http import HttpRequest
from ninja import Router, Status
from ninja.security import django_auth

from qihub.core.api import invalid
from qihub.evaluations import forms, workflow
from qihub.evaluations.models import INDICATORS
from qihub.orders.models import Order

router = Router(tags=["服务评价"], auth=django_auth)


@router.post(
    "/orders/{number}/evaluation",
    response={201: dict, 404: dict, 409: dict, 422: dict},
    summary="评价已完成的订单（五项指标 1–5 分，comment 可选）",
)
def evaluate(request: HttpRequest, number: str) -> Status:
    order = Order.objects.visible_to(request.user).filter(number=number).first()
    if order is None:
        return Status(404, {"detail": "没有该订单"})
    staff = request.user.role in workflow.STAFF
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
    except workflow.EvaluationError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(
        201,
        {
            "order": order.number,
            "channel": evaluation.channel,
            **{k: getattr(evaluation, k) for k in INDICATORS},
        },
    )
