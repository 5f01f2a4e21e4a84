"""The improvement plan's two tables (ADR 0009): the plan (drafted, re-summarised, edited, given
actions, published) and each action (progress, completion on the `improvement_action` clock)."""

import datetime as dt
from typing import Any

import rules
from django.db import IntegrityError, transaction

from qihub.accounts.models import User
from qihub.accounts.roles import is_back_office, is_supervisor
from qihub.core.numbering import next_number
from qihub.core.workflow import Workflow, WorkflowError, move
from qihub.improvement import summary
from qihub.improvement.models import (
    ActionStatus,
    ImprovementPlan,
    PlanAction,
    PlanActionEvent,
    PlanEvent,
    PlanStatus,
)
from qihub.notifications.outbox import notify
from qihub.workcal.calendar import local_date

ACTION_CLOCK = "improvement_action"


@rules.predicate
def is_system(user: Any) -> bool:
    """The yearly task drafts without a person behind it."""
    return user is None


@rules.predicate
def is_owner(user: User, action: PlanAction | None) -> bool:
    return action is not None and action.owner_id == getattr(user, "pk", None)


PLAN_FLOW: Workflow[ImprovementPlan] = Workflow(
    ImprovementPlan,
    events=PlanEvent,
    subject="plan",
    stale="该改进计划已被他人修改，请刷新页面查看最新内容后再操作",
    moves=[
        move(
            "draft",
            "草拟年度汇总",
            is_back_office | is_system,
            {None},
            PlanStatus.DRAFT,
            event="drafted",
            refusal="只有监管部门或平台运营人员可以草拟年度汇总",
        ),
        move(
            "resummarise",
            "重新汇总",
            is_back_office,
            {PlanStatus.DRAFT},
            event="resummarised",
            refusal="只有监管部门或平台运营人员可以重新汇总",
        ),
        move(
            "edit",
            "修改问题分析",
            is_supervisor,
            {PlanStatus.DRAFT},
            event="edited",
            refusal="只有监管部门可以编写改进计划",
        ),
        # Actions may still be added after publishing: a problem found mid-year joins the plan.
        move(
            "add_action",
            "列入改进措施",
            is_supervisor,
            {PlanStatus.DRAFT, PlanStatus.PUBLISHED},
            event="action_added",
            refusal="只有监管部门可以列入改进措施",
        ),
        move(
            "publish",
            "发布改进计划",
            is_supervisor,
            {PlanStatus.DRAFT},
            PlanStatus.PUBLISHED,
            event="published",
            refusal="只有监管部门可以发布改进计划",
        ),
    ],
)

ACTION_FLOW: Workflow[PlanAction] = Workflow(
    PlanAction,
    events=PlanActionEvent,
    subject="action",
    stale="该措施的进度已被他人更新，请刷新页面查看后再登记",
    claim_clocks=is_supervisor,
    moves=[
        move(
            "add",
            "列入改进措施",
            is_supervisor,
            {None},
            ActionStatus.OPEN,
            starts=(ACTION_CLOCK,),
            event="added",
            refusal="只有监管部门可以列入改进措施",
        ),
        move(
            "progress",
            "登记进展",
            is_owner | is_supervisor,
            {ActionStatus.OPEN, ActionStatus.DOING},
            ActionStatus.DOING,
            event="progressed",
            refusal="只有措施责任人或监管部门可以登记进展",
        ),
        move(
            "complete",
            "登记完成",
            is_owner | is_supervisor,
            {ActionStatus.OPEN, ActionStatus.DOING},
            ActionStatus.DONE,
            stops=(ACTION_CLOCK,),
            event="completed",
            refusal="只有措施责任人或监管部门可以登记进展",
        ),
    ],
)


def draft(year: int, *, by: User | None, at: dt.datetime | None = None) -> ImprovementPlan:
    """Draft the year's summary (the yearly task with `by=None`, or the button)."""
    with PLAN_FLOW.create("draft", by=by, at=at) as step:
        if ImprovementPlan.objects.filter(year=year).exists():
            raise WorkflowError(f"{year}年度的改进计划已经草拟，请打开它重新汇总")
        figures = summary.summarise(year, now=step.at)
        try:
            with transaction.atomic():
                step.record = ImprovementPlan.objects.create(
                    year=year,
                    summary=figures,
                    summarised_at=step.at,
                    analysis=summary.draft_analysis(figures),
                    status=step.target,
                    drafted_by=by,
                )
        except IntegrityError:  # drafted by someone else a moment ago
            raise WorkflowError(f"{year}年度的改进计划已经草拟，请打开它重新汇总") from None
        step.note = "系统按年度自动汇总" if by is None else "按需汇总"
    return step.record


def resummarise(plan: ImprovementPlan, *, by: User, version: int | None) -> ImprovementPlan:
    with PLAN_FLOW.step(plan, "resummarise", by=by, version=version) as step:
        step.set(summary=summary.summarise(plan.year, now=step.at), summarised_at=step.at)
    return step.record


def edit(plan: ImprovementPlan, *, by: User, version: int | None, analysis: str) -> ImprovementPlan:
    with PLAN_FLOW.step(plan, "edit", by=by, version=version) as step:
        step.edit(analysis=analysis.strip())
    return step.record


def add_action(
    plan: ImprovementPlan,
    *,
    by: User,
    version: int | None,
    problem: str,
    measure: str,
    owner: User,
    due_on: dt.date,
) -> PlanAction:
    """One line of the plan: its own record, created through its own table, clock started."""
    with PLAN_FLOW.step(plan, "add_action", by=by, version=version) as step:
        today = local_date(step.at)
        if due_on < today:
            raise WorkflowError("完成期限：不能早于今天")
        with ACTION_FLOW.create("add", by=by, at=step.at) as inner:
            inner.record = PlanAction.objects.create(
                number=next_number("GJ", step.at),
                plan=step.record,
                problem=problem.strip(),
                measure=measure.strip(),
                owner=owner,
                due_on=due_on,
                days_allowed=(due_on - today).days,
                status=inner.target,
                added_at=step.at,
            )
            inner.note = f"责任人：{owner.party_name}；完成期限：{due_on:%Y-%m-%d}"
        step.note = f"{inner.record.number}：{problem.strip()}"[:500]
        if step.record.status == PlanStatus.PUBLISHED:
            _tell_owner(inner.record)
    return inner.record


def publish(plan: ImprovementPlan, *, by: User, version: int | None) -> ImprovementPlan:
    with PLAN_FLOW.step(plan, "publish", by=by, version=version) as step:
        actions = list(step.record.actions.select_related("owner"))
        if not actions:
            raise WorkflowError("改进计划至少要有一项改进措施才能发布")
        step.set(published_at=step.at)
        for action in actions:
            _tell_owner(action, now=step.at)
    return step.record


def _tell_owner(action: PlanAction, now: dt.datetime | None = None) -> None:
    notify(
        [action.owner],
        f"您负责的改进措施：{action.number}",
        f"{action.plan.year}年度改进计划已列入您负责的措施“{action.problem}”，"
        f"完成期限 {action.due_on:%Y-%m-%d}，请按期登记进展。",
        now=now,
    )


def record_progress(
    action: PlanAction, *, by: User, version: int | None, percent: int, progress: str
) -> PlanAction:
    """Progress in percent with what was done; 100% completes the action and stops its clock."""
    name = "complete" if percent >= 100 else "progress"
    with ACTION_FLOW.step(action, name, by=by, version=version) as step:
        if step.record.plan.status != PlanStatus.PUBLISHED:
            raise WorkflowError("改进计划发布后才能登记进展")
        if percent < step.record.percent:
            raise WorkflowError(f"完成进度：不能低于已登记的 {step.record.percent}%")
        step.edit(percent=percent, progress=progress.strip())
        if name == "complete":
            step.set(done_at=step.at)
    return step.record
