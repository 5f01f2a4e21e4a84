"""The improvement plan through the API (EVAL-10): the same forms and rules as the pages."""

from django.http import HttpRequest
from ninja import Router, Status

from qihub.accounts.tokens import AUTH
from qihub.core.api import form_body, invalid
from qihub.core.workflow import Refused, WorkflowError
from qihub.improvement import forms, workflow
from qihub.improvement.actions import (
    ACTION_ACTIONS,
    PLAN_ACTIONS,
    action_visible,
    describe_action,
    describe_plan,
    parse_year,
    plan_visible,
)
from qihub.improvement.models import ImprovementPlan, PlanStatus

router = Router(tags=["年度改进计划"], auth=AUTH)


@router.post(
    "/improvement",
    response={201: dict, 403: dict, 409: dict, 422: dict},
    summary="草拟某一年度的汇总（year），作为改进计划的草稿",
)
@form_body(forms.DraftForm)
def draft(request: HttpRequest) -> Status:
    form = forms.DraftForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    try:
        plan = workflow.draft(form.cleaned_data["year"], by=request.user)
    except Refused as exc:
        return Status(403, {"detail": str(exc)})
    except WorkflowError as exc:
        return Status(409, {"detail": str(exc)})
    return Status(201, describe_plan(plan, request.user))


@router.get(
    "/improvement/{year}",
    response={200: dict, 404: dict},
    summary="改进计划（汇总数据、问题分析、措施及进度，草稿仅工作人员可见）",
)
def plan(request: HttpRequest, year: str) -> Status:
    found = plan_visible(request.user, year)
    if found is None:
        return Status(404, {"detail": "没有该记录，或您无权查看"})
    return Status(200, describe_plan(found, request.user))


@router.get(
    "/improvement/actions/{number}",
    response={200: dict, 404: dict},
    summary="一项改进措施（责任人与监管部门可见）",
)
def action(request: HttpRequest, number: str) -> Status:
    found = action_visible(request.user, number)
    if found is None:
        return Status(404, {"detail": "没有该记录，或您无权查看"})
    return Status(200, describe_action(found, request.user))


@router.get(
    "/public/improvement/{year}",
    response={200: dict, 404: dict},
    auth=None,
    summary="已发布的年度改进计划及各项措施的进度（公开，不含人员）",
)
def public(request: HttpRequest, year: str) -> Status:
    number = parse_year(year)
    found = ImprovementPlan.objects.filter(year=number, status=PlanStatus.PUBLISHED).first()
    if found is None:
        return Status(404, {"detail": "该年度的改进计划尚未发布"})
    return Status(
        200,
        {
            "year": found.year,
            "published_at": found.published_at.isoformat() if found.published_at else None,
            "progress": found.progress(),
            "actions": [
                {
                    "number": a.number,
                    "problem": a.problem,
                    "measure": a.measure,
                    "due_on": a.due_on.isoformat(),
                    "percent": a.percent,
                    "status_label": a.get_status_display(),
                    "progress": a.progress,
                }
                for a in found.actions.all()
            ],
        },
    )


ACTION_ACTIONS.register_api(router, "/improvement/actions")
PLAN_ACTIONS.register_api(router, "/improvement")
