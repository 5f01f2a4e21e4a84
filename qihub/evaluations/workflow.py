"""Evaluations and return visits (EVAL-1, EVAL-2)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from qihub.accounts.models import Role, User
from qihub.evaluations.models import INDICATORS, Evaluation, EvaluationChannel, ReturnVisit
from qihub.notifications.outbox import notify
from qihub.orders.models import Order, OrderStatus

STAFF = (Role.OPERATOR, Role.STATION_STAFF, Role.ADMIN)


class EvaluationError(Exception):
    pass


def _check_scores(scores: dict[str, int]) -> None:
    for key, label in INDICATORS.items():
        value = scores.get(key)
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise EvaluationError(f"{label}：请打 1–5 分")


@transaction.atomic
def evaluate(order: Order, *, by: User, scores: dict[str, int], comment: str = "",
             channel: str = EvaluationChannel.ONLINE, entered_by: User | None = None) -> Evaluation:  # fmt: skip
    """One service, one evaluation: only the ordering member, only after completion, once.
    Staff enter evaluations received by phone or SMS on the member's behalf, marked so."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if entered_by is None and by.pk != order.client_id:
        raise EvaluationError("只有下单人可以评价该订单")
    if entered_by is not None and (
        entered_by.role not in STAFF or channel == EvaluationChannel.ONLINE
    ):
        raise EvaluationError("工作人员只能代录电话或短信评价")
    if order.status != OrderStatus.COMPLETED:
        raise EvaluationError("服务完成后才能评价")
    if Evaluation.objects.filter(order=order).exists():
        raise EvaluationError("该订单已评价，一事一评，不能重复评价")
    _check_scores(scores)
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(order=order, by=order.client, channel=channel,
                                                   entered_by=entered_by, comment=comment.strip()[:500], **{
                                                       k: scores[k] for k in INDICATORS})  # fmt: skip
    except IntegrityError:  # a concurrent evaluation of the same order
        raise EvaluationError("该订单已评价，一事一评，不能重复评价") from None
    if evaluation.dissatisfied():
        notify(list(User.objects.filter(role=Role.OPERATOR, is_active=True)),
               f"不满意评价：订单 {order.number}", f"总体 {evaluation.overall} 分。{evaluation.comment}")  # fmt: skip
    return evaluation


@transaction.atomic
def schedule_return_visit(order: Order, *, by: User, on: dt.date) -> ReturnVisit:
    if by.role not in STAFF:
        raise EvaluationError("只有平台或站点工作人员可以安排回访")
    if on < timezone.localdate():
        raise EvaluationError("计划回访日期：不能早于今天")
    if order.status != OrderStatus.COMPLETED:
        raise EvaluationError("服务完成后才能安排回访")
    return ReturnVisit.objects.create(order=order, scheduled_for=on, scheduled_by=by)


@transaction.atomic
def record_return_visit(visit: ReturnVisit, *, by: User, method: str, result: str,
                        satisfied: bool | None) -> ReturnVisit:  # fmt: skip
    visit = ReturnVisit.objects.select_for_update().get(pk=visit.pk)
    if by.role not in STAFF:
        raise EvaluationError("只有平台或站点工作人员可以登记回访")
    if visit.done_at:
        raise EvaluationError("该回访已登记结果")
    if not result.strip():
        raise EvaluationError("回访结果：必须填写")
    visit.done_at, visit.done_by = timezone.now(), by
    visit.method, visit.result, visit.satisfied = method.strip()[:20], result.strip(), satisfied
    visit.save(update_fields=["done_at", "done_by", "method", "result", "satisfied"])
    return visit
