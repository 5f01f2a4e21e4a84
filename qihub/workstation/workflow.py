"""Key-project recommendations (SJ 7.3, BIO-7) on the one workflow mechanism (ADR 0009):
遴选准备 → 已推送市药监局 → 通过 / 未通过. The workstation's staff check the eligibility points,
record the submission to the municipal drug administration, hold defence coaching sessions and
record the decision."""

import datetime as dt
from typing import Any

from qihub.accounts.roles import is_handler
from qihub.core.numbering import next_number
from qihub.core.workflow import Workflow, WorkflowError, move
from qihub.workstation.models import (
    CHECKLISTS,
    CoachingSession,
    KeyProject,
    KeyProjectEvent,
)
from qihub.workstation.models import ProjectStatus as S

STAFF = "只有工作站工作人员可以办理重点项目"

FLOW: Workflow[KeyProject] = Workflow(
    KeyProject,
    events=KeyProjectEvent,
    subject="project",
    moves=[
        move("open", "登记重点项目", is_handler, {None}, S.PREPARING, refusal=STAFF),
        move("check", "核对遴选要点", is_handler, {S.PREPARING}, refusal=STAFF),
        move("submit", "登记推送市药监局", is_handler, {S.PREPARING}, S.SUBMITTED, refusal=STAFF),
        move("coach", "登记答辩辅导", is_handler, {S.PREPARING, S.SUBMITTED}, refusal=STAFF),
        move("approve", "登记通过", is_handler, {S.SUBMITTED}, S.PASSED, refusal=STAFF),
        move("reject", "登记未通过", is_handler, {S.SUBMITTED}, S.FAILED, refusal=STAFF),
    ],
)


def open_project(*, by: Any, kind: str, enterprise: str, product: str) -> KeyProject:
    with FLOW.create("open", by=by) as step:
        step.record = KeyProject.objects.create(
            number=next_number("ZD", at=step.at),
            kind=kind,
            enterprise=enterprise,
            product=product,
            status=step.target,
            created_by=by,
        )
    return step.record


def check(project: KeyProject, *, by: Any, version: int | None, met: list[str]) -> None:
    with FLOW.step(project, "check", by=by, version=version) as step:
        chosen = set(met)
        step.edit(met=[p for p in CHECKLISTS[step.record.kind] if p in chosen])


def submit(project: KeyProject, *, by: Any, version: int | None, on: dt.date, number: str) -> None:
    with FLOW.step(project, "submit", by=by, version=version) as step:
        if step.record.unmet:
            raise WorkflowError("遴选要点尚未全部满足，不能推送市药监局")
        step.set(submitted_on=on, submission_number=number)


def coach(
    project: KeyProject, *, by: Any, version: int | None, on: dt.date, coach: str, notes: str
) -> None:
    with FLOW.step(project, "coach", by=by, version=version, note=f"{on:%Y-%m-%d} {coach}") as s:
        CoachingSession.objects.create(project=s.record, held_on=on, coach=coach, notes=notes)
        s.versioned = True


def decide(
    project: KeyProject, *, by: Any, version: int | None, passed: bool, on: dt.date, note: str
) -> None:
    action = "approve" if passed else "reject"
    with FLOW.step(project, action, by=by, version=version, note=note) as step:
        if step.record.submitted_on and on < step.record.submitted_on:
            raise WorkflowError("结果日期：不能早于推送日期")
        step.set(decided_on=on, result_note=note)
