"""The plan's and the actions' steps, one table each for the pages and the API (ADR 0009).

Plans: /improvement/<year>/<step>/ and /api/v1/improvement/<year>/<step>.
Actions: /improvement/actions/<number>/progress/ and /api/v1/improvement/actions/<number>/progress.
"""

from typing import Any

from django.db.models import QuerySet

from qihub.accounts.models import User
from qihub.accounts.roles import is_back_office
from qihub.core.actions import Action, ActionTable
from qihub.improvement import forms, workflow
from qihub.improvement.models import ImprovementPlan, PlanAction


def plan_visible(user: Any, year: str) -> ImprovementPlan | None:
    """The back office sees every plan, drafts too; the public reads published ones elsewhere."""
    number = parse_year(year)
    if not is_back_office(user) or number is None:
        return None
    return ImprovementPlan.objects.filter(year=number).first()


def parse_year(text: object) -> int | None:
    """A year from an address: four ASCII digits, else None (no overflow, no 500)."""
    text = str(text)
    return int(text) if len(text) == 4 and text.isascii() and text.isdigit() else None


def actions_visible_to(user: User) -> QuerySet[PlanAction]:
    rows = PlanAction.objects.select_related("plan", "owner")
    if is_back_office(user):
        return rows
    if getattr(user, "is_authenticated", False):
        return rows.filter(owner=user)
    return rows.none()


def action_visible(user: Any, number: str) -> PlanAction | None:
    return actions_visible_to(user).filter(number=number).first()


def describe_action(a: PlanAction, user: Any = None) -> dict:
    return {
        "number": a.number,
        "year": a.plan.year,
        "problem": a.problem,
        "measure": a.measure,
        "owner": a.owner.party_name,
        "due_on": a.due_on.isoformat(),
        "percent": a.percent,
        "progress": a.progress,
        "status": a.status,
        "status_label": a.get_status_display(),
        "version": a.version,
        "may": sorted(workflow.ACTION_FLOW.available(user, a)) if user is not None else [],
    }


def describe_plan(plan: ImprovementPlan, user: Any = None) -> dict:
    return {
        "year": plan.year,
        "status": plan.status,
        "status_label": plan.get_status_display(),
        "version": plan.version,
        "summary": plan.summary,
        "analysis": plan.analysis,
        "published_at": plan.published_at.isoformat() if plan.published_at else None,
        "progress": plan.progress(),
        "actions": [describe_action(a) for a in plan.actions.select_related("owner", "plan")],
        "may": sorted(workflow.PLAN_FLOW.available(user, plan)) if user is not None else [],
    }


PLAN_ACTIONS = ActionTable(
    workflow.PLAN_FLOW,
    lookup=plan_visible,
    detail="improvement:plan",
    describe=describe_plan,
    key="year",
    actions=[
        Action(
            "resummarise",
            forms.VersionForm,
            lambda p, u, c: workflow.resummarise(p, by=u, version=c["version"]),
            "已按最新数据重新汇总",
            summary="按最新数据重新汇总年度数据（version）",
        ),
        Action(
            "edit",
            forms.AnalysisForm,
            lambda p, u, c: workflow.edit(p, by=u, version=c["version"], analysis=c["analysis"]),
            "问题分析已保存",
            summary="修改问题分析与改进方向（version，analysis）",
        ),
        Action(
            "add_action",
            forms.ActionForm,
            lambda p, u, c: workflow.add_action(
                p,
                by=u,
                version=None,
                problem=c["problem"],
                measure=c["measure"],
                owner=c["owner"],
                due_on=c["due_on"],
            ),
            "改进措施已列入计划",
            page="actions/add",
            api="actions",
            summary="列入一项改进措施（problem，measure，owner=责任人编号，due_on）",
        ),
        Action(
            "publish",
            forms.VersionForm,
            lambda p, u, c: workflow.publish(p, by=u, version=c["version"]),
            "改进计划已发布，责任人已收到通知",
            summary="发布改进计划（version）",
        ),
    ],
)

ACTION_ACTIONS = ActionTable(
    workflow.ACTION_FLOW,
    lookup=action_visible,
    detail="improvement:action",
    describe=describe_action,
    actions=[
        # One form for both moves: 100% completes the action (and stops its clock).
        Action(
            "progress",
            forms.ProgressForm,
            lambda a, u, c: workflow.record_progress(
                a, by=u, version=c["version"], percent=c["percent"], progress=c["progress"]
            ),
            "进展已登记",
            summary="登记进展（version，percent 0–100，progress）；100 即完成",
        ),
    ],
)
