"""A declaration's steps (ENT-5) on the one workflow mechanism (ADR 0009): 准备材料 → 已提交 →
评审中 → 通过 / 未通过. The enterprise records each step as it goes on the department's system;
operators, who follow the declarations, may record the review and its result for it."""

import datetime as dt
from typing import Any

import rules
from django.utils import timezone

from qihub.accounts.roles import is_decider, is_enterprise
from qihub.core.numbering import next_number
from qihub.core.workflow import Workflow, WorkflowError, move
from qihub.guidance.models import Declaration, DeclarationEvent, DeclarationWindow, Phase
from qihub.guidance.models import DeclarationStatus as S
from qihub.workcal.calendar import TZ


@rules.predicate
def is_declarant(user: Any, declaration: Declaration | None) -> bool:
    return declaration is not None and declaration.enterprise_id == getattr(user, "pk", None)


OWN = "只有申报企业本身可以办理"
FOLLOW = "只有申报企业或平台运营人员可以登记评审进度"

FLOW: Workflow[Declaration] = Workflow(
    Declaration,
    events=DeclarationEvent,
    subject="declaration",
    moves=[
        move(
            "start",
            "开始申报",
            is_enterprise,
            {None},
            S.PREPARING,
            event="started",
            refusal="只有企业用户可以申报",
        ),
        move("recheck", "更新自查", is_declarant, {S.PREPARING}, refusal=OWN),
        move("submit", "登记已提交", is_declarant, {S.PREPARING}, S.SUBMITTED, refusal=OWN),
        move(
            "review",
            "登记评审中",
            is_declarant | is_decider,
            {S.SUBMITTED},
            S.REVIEWING,
            refusal=FOLLOW,
        ),
        move(
            "approve",
            "登记通过",
            is_declarant | is_decider,
            {S.REVIEWING},
            S.PASSED,
            event="passed",
            refusal=FOLLOW,
        ),
        move(
            "reject",
            "登记未通过",
            is_declarant | is_decider,
            {S.REVIEWING},
            S.FAILED,
            event="failed",
            refusal=FOLLOW,
        ),
    ],
)


def local_today(at: dt.datetime | None = None) -> dt.date:
    return (at or timezone.now()).astimezone(TZ).date()


def start(window: DeclarationWindow, *, by: Any, met: list[str]) -> Declaration:
    """Begin following a window: allowed while it is upcoming or open, once per enterprise."""
    with FLOW.create("start", by=by) as step:
        if window.phase(local_today(step.at)) == Phase.CLOSED:
            raise WorkflowError("该申报已截止，不能再开始申报")
        existing = Declaration.objects.filter(window=window, enterprise=by).first()
        if existing is not None:
            raise WorkflowError(f"贵企业已在跟进该申报（申报编号 {existing.number}）")
        step.record = Declaration.objects.create(
            number=next_number("SB", at=step.at),
            window=window,
            enterprise=by,
            status=step.target,
            met=_known(window, met),
        )
    return step.record


def recheck(declaration: Declaration, *, by: Any, version: int | None, met: list[str]) -> None:
    with FLOW.step(declaration, "recheck", by=by, version=version) as step:
        step.edit(met=_known(step.record.window, met))


def submit(declaration: Declaration, *, by: Any, version: int | None) -> None:
    with FLOW.step(declaration, "submit", by=by, version=version) as step:
        phase = step.record.window.phase(local_today(step.at))
        if phase == Phase.UPCOMING:
            raise WorkflowError("申报窗口尚未开始，开始后再提交")
        if phase == Phase.CLOSED:
            raise WorkflowError("申报已截止，不能再登记提交")


def review(declaration: Declaration, *, by: Any, version: int | None) -> None:
    with FLOW.step(declaration, "review", by=by, version=version):
        pass


def decide(
    declaration: Declaration, *, by: Any, version: int | None, passed: bool, note: str = ""
) -> None:
    with FLOW.step(
        declaration, "approve" if passed else "reject", by=by, version=version, note=note
    ) as step:
        step.set(result_note=note)


def _known(window: DeclarationWindow, met: list[str]) -> list[str]:
    """Only the window's own checklist lines, in its order."""
    chosen = set(met)
    return [item for item in window.checklist if item in chosen]
