"""Flow runs through the one workflow mechanism (ADR 0009).

An enterprise, or the service team on its behalf, starts a run of the newest version of a
template; the enterprise and the team tick the steps off in order, each its own steps (the team
may also tick an enterprise's step for it, as when the enterprise hands papers in at the window).
While a step with a limit is current its `flow_step` clock runs, reminded and escalated like every
clock; the last tick ends the run.
"""

from typing import Any

import rules
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from qihub.accounts.models import Document, DocumentKind, Organisation, Role, User
from qihub.accounts.roles import HANDLERS, is_handler
from qihub.accounts.uploads import upload_batch
from qihub.core.numbering import next_number
from qihub.core.workflow import Workflow, WorkflowError, move
from qihub.deadlines import workflow as clocks
from qihub.deadlines.queries import open_clock
from qihub.flows.models import (
    Actor,
    FlowRun,
    FlowRunEvent,
    FlowTemplate,
    RunStatus,
    RunStep,
    StepState,
)
from qihub.notifications.outbox import notify

STEP_CLOCK = "flow_step"


@rules.predicate
def is_run_enterprise(user: Any, run: FlowRun | None) -> bool:
    return run is not None and run.enterprise.account_id == getattr(user, "pk", None)


@rules.predicate
def may_start(user: Any) -> bool:
    return getattr(user, "role", None) in HANDLERS | {Role.ENTERPRISE}


RUNS: Workflow[FlowRun] = Workflow(
    FlowRun,
    events=FlowRunEvent,
    subject="run",
    moves=[
        move(
            "start",
            "发起办理",
            may_start,
            {None},
            RunStatus.RUNNING,
            event="started",
            refusal="只有企业和服务团队可以发起办理流程",
        ),
        move(
            "tick",
            "完成步骤",
            is_run_enterprise | is_handler,
            {RunStatus.RUNNING},
            None,
            event="ticked",
            refusal="只有该企业和服务团队可以办理本流程的步骤",
        ),
        move(
            "complete",
            "办结",
            is_run_enterprise | is_handler,
            {RunStatus.RUNNING},
            RunStatus.DONE,
            event="completed",
            refusal="只有该企业和服务团队可以办结本流程",
        ),
        move(
            "cancel",
            "撤销办理",
            is_run_enterprise | is_handler,
            {RunStatus.RUNNING},
            RunStatus.CANCELLED,
            event="cancelled",
            refusal="只有该企业和服务团队可以撤销本流程",
        ),
    ],
)


def _begin(run_step: RunStep, run: FlowRun, at: Any) -> None:
    """Make `run_step` current and run its clock when it has a limit."""
    run_step.state = StepState.CURRENT
    run_step.save(update_fields=["state"])
    if run_step.limit_days:
        # The enterprise is reminded of its own steps; the team's steps escalate to supervisors.
        owner = run.enterprise.account if run_step.step.actor == Actor.ENTERPRISE else None
        clocks.start_clock(STEP_CLOCK, run_step, owner=owner, at=at)


def start(
    template: FlowTemplate,
    *,
    by: User,
    enterprise: Organisation,
    subject: str = "",
    item: Any = None,
) -> FlowRun:
    """Start a run on `template` (the version it keeps) for `enterprise`."""
    steps = list(template.steps.order_by("position"))
    if not steps:
        raise WorkflowError("流程：该流程还没有步骤，请联系平台运营人员")
    with RUNS.create("start", by=by, note=template.title) as step:
        run = FlowRun.objects.create(
            number=next_number("LC"),
            template=template,
            enterprise=enterprise,
            item=item,
            subject=subject,
            status=step.target,
            started_by=by,
            started_at=step.at,
        )
        rows = RunStep.objects.bulk_create(
            RunStep(
                run=run,
                step=s,
                position=s.position,
                state=StepState.WAITING,
                limit_days=s.limit_days,
            )
            for s in steps
        )
        step.record = run
    _begin(rows[0], run, step.at)
    if by.pk != enterprise.account_id:
        notify(
            [enterprise.account],
            f"服务团队已为您发起“{template.title}”",
            f"办理编号 {run.number}，请在工作台“我的办理流程”中查看并办理各步骤。",
            dedupe_key=f"flow-run:{run.pk}",
        )
    return run


def tick(
    run: FlowRun,
    *,
    by: User,
    version: int,
    position: int,
    note: str = "",
    upload: UploadedFile | None = None,
) -> FlowRun:
    """Tick the current step off; start the next one's clock, or end the run after the last."""
    with upload_batch() as batch, transaction.atomic():
        with RUNS.step(run, "tick", by=by, version=version, note=note) as step:
            current = (
                RunStep.objects.select_for_update()
                .select_related("step")
                .filter(run=step.record, state=StepState.CURRENT)
                .first()
            )
            if current is None or current.position != position:
                raise WorkflowError("步骤：只能办理当前步骤，请刷新页面查看最新进度")
            flow_step = current.step
            if flow_step.actor == Actor.TEAM and by.role not in HANDLERS:
                raise WorkflowError(f"步骤：“{flow_step.title}”由服务团队办理")
            if flow_step.documents and upload is None:
                raise WorkflowError(f"上传文件：本步骤需上传{flow_step.documents}")
            if upload is not None:
                current.document = Document.objects.create(
                    owner=step.record.enterprise.account,
                    kind=DocumentKind.SUPPORTING,
                    **batch.store(upload),
                )
            current.state = StepState.DONE
            current.done_by = by
            current.done_at = step.at
            current.note = note.strip()[:500]
            current.save()
            step.note = f"第 {current.position} 步“{flow_step.title}”：{note}".strip("：")
            clock = open_clock(current, STEP_CLOCK)
            if clock is not None:
                clocks.stop_clock(clock, by=by, at=step.at, note="步骤完成")
            following = (
                RunStep.objects.select_related("step")
                .filter(run=step.record, position__gt=current.position)
                .order_by("position")
                .first()
            )
            if following is not None:
                _begin(following, step.record, step.at)
        if following is None:
            with RUNS.step(step.record, "complete", by=by) as done:
                pass
            return done.record
    return step.record


def cancel(run: FlowRun, *, by: User, version: int, reason: str) -> FlowRun:
    with RUNS.step(run, "cancel", by=by, version=version, note=reason) as step:
        if not reason.strip():
            raise WorkflowError("撤销原因：必须填写")
        for current in RunStep.objects.filter(run=step.record, state=StepState.CURRENT):
            clock = open_clock(current, STEP_CLOCK)
            if clock is not None:
                clocks.stop_clock(clock, by=by, at=step.at, note="流程撤销")
    return step.record


@transaction.atomic
def publish(
    code: str,
    *,
    by: User | None,
    title: str,
    source: str,
    summary: str,
    steps: list[dict],
    change_note: str,
) -> FlowTemplate:
    """A new version of template `code` with `steps`; earlier versions and their runs stay."""
    if not steps:
        raise WorkflowError("步骤：至少需要一个步骤")
    latest = FlowTemplate.objects.select_for_update().filter(code=code).order_by("-version")
    previous = latest.first()
    template = FlowTemplate.objects.create(
        code=code,
        version=(previous.version + 1) if previous else 1,
        title=title,
        source=source,
        summary=summary,
        change_note=change_note,
        published_by=by,
    )
    for position, data in enumerate(steps, start=1):
        template.steps.create(position=position, **data)
    return template
