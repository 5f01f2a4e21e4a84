"""Diagnosis problems and showcase entries through the one workflow mechanism (ADR 0009).

A problem is recorded by whoever diagnosed (expert, station staff, operator), answered by the
enterprise, and closed as solved or not solved by a diagnoser; its follow-up clock
(`diagnosis_followup`) runs from recording to the agreed due date and reminds the enterprise.
A showcase entry is proposed by an operator and made public only by the enterprise's consent.
"""

import datetime as dt
from typing import Any

import rules

from qihub.accounts.models import Organisation, User
from qihub.accounts.roles import is_decider, is_diagnoser
from qihub.core.numbering import next_number
from qihub.core.workflow import Workflow, WorkflowError, move
from qihub.deadlines.queries import open_clock
from qihub.diagnosis.models import (
    OPEN_PROBLEM_STATUSES,
    Problem,
    ProblemEvent,
    ShowcaseEntry,
    ShowcaseEvent,
    Visit,
)
from qihub.diagnosis.models import ProblemStatus as P
from qihub.diagnosis.models import ShowcaseStatus as S
from qihub.notifications.outbox import notify

FOLLOWUP_CLOCK = "diagnosis_followup"


@rules.predicate
def is_problem_enterprise(user: Any, problem: Problem | None) -> bool:
    return problem is not None and problem.visit.enterprise.account_id == getattr(user, "pk", None)


@rules.predicate
def is_entry_enterprise(user: Any, entry: ShowcaseEntry | None) -> bool:
    return entry is not None and entry.enterprise.account_id == getattr(user, "pk", None)


PROBLEMS: Workflow[Problem] = Workflow(
    Problem,
    events=ProblemEvent,
    subject="problem",
    moves=[
        move(
            "record",
            "登记问题",
            is_diagnoser,
            {None},
            P.OPEN,
            starts=(FOLLOWUP_CLOCK,),
            event="recorded",
            refusal="只有专家、服务站工作人员和平台运营人员可以登记诊断问题",
        ),
        move(
            "answer",
            "答复整改情况",
            is_problem_enterprise,
            OPEN_PROBLEM_STATUSES,
            P.IN_PROGRESS,
            event="answered",
            refusal="只有被诊断企业可以答复整改情况",
        ),
        move(
            "solve",
            "确认已解决",
            is_diagnoser,
            OPEN_PROBLEM_STATUSES,
            P.SOLVED,
            stops=(FOLLOWUP_CLOCK,),
            event="solved",
            refusal="只有诊断人员可以确认问题已解决",
        ),
        move(
            "not_solved",
            "确认未解决",
            is_diagnoser,
            OPEN_PROBLEM_STATUSES,
            P.NOT_SOLVED,
            stops=(FOLLOWUP_CLOCK,),
            event="not_solved",
            refusal="只有诊断人员可以确认问题未解决",
        ),
    ],
)


def record_visit(
    *,
    by: User,
    enterprise: Organisation,
    visited_on: dt.date,
    kind: str,
    visitors: str,
    findings: str,
    problems: list[dict],
) -> Visit:
    """The visit and each problem found, in one transaction (nothing half-saved)."""
    from django.db import transaction

    with transaction.atomic():
        visit = Visit.objects.create(
            number=next_number("ZD"),
            enterprise=enterprise,
            visited_on=visited_on,
            kind=kind,
            visitors=visitors,
            findings=findings,
            recorded_by=by,
        )
        for found in problems:
            record_problem(visit, by=by, **found)
        notify(
            [enterprise.account],
            f"质量诊断记录 {visit.number} 已登记",
            f"发现问题 {len(problems)} 项，请在工作台“质量诊断”中查看并答复整改情况。",
            dedupe_key=f"diagnosis-visit:{visit.pk}",
        )
    return visit


def record_problem(
    visit: Visit, *, by: User, description: str, severity: str, solution: str, due_date: dt.date
) -> Problem:
    with PROBLEMS.create("record", by=by) as step:
        step.record = Problem.objects.create(
            visit=visit,
            description=description,
            severity=severity,
            solution=solution,
            due_date=due_date,
            status=step.target,
            created_at=step.at,
        )
    # The enterprise fixes the problem, so the clock's reminder goes to it.
    clock = open_clock(step.record, FOLLOWUP_CLOCK)
    if clock is not None:
        type(clock).objects.filter(pk=clock.pk).update(owner=visit.enterprise.account)
    return step.record


def answer(problem: Problem, *, by: User, version: int, text: str) -> Problem:
    with PROBLEMS.step(problem, "answer", by=by, version=version, note=text) as step:
        if not text.strip():
            raise WorkflowError("整改情况：必须填写")
        step.edit(answer=text.strip())
        # Whoever recorded the problem follows it up: they learn of the answer at once.
        notify(
            [step.record.visit.recorded_by],
            f"{step.record.visit.enterprise.name}已答复诊断问题的整改情况",
            f"{step.record.description[:60]}：{text.strip()[:200]}",
        )
    return step.record


def close(problem: Problem, action: str, *, by: User, version: int, note: str = "") -> Problem:
    with PROBLEMS.step(problem, action, by=by, version=version, note=note) as step:
        if action == "not_solved" and not note.strip():
            raise WorkflowError("说明：确认未解决时必须说明原因")
        notify(
            [step.record.visit.enterprise.account],
            f"诊断问题已{step.move.label.removeprefix('确认')}",
            f"{step.record.description[:60]}{('：' + note) if note else ''}",
        )
    return step.record


SHOWCASE: Workflow[ShowcaseEntry] = Workflow(
    ShowcaseEntry,
    events=ShowcaseEvent,
    subject="entry",
    moves=[
        move(
            "propose",
            "提议展示",
            is_decider,
            {None},
            S.AWAITING,
            event="proposed",
            refusal="只有平台运营人员可以提议展示企业风采",
        ),
        move(
            "consent",
            "同意公开展示",
            is_entry_enterprise,
            {S.AWAITING, S.DECLINED, S.WITHDRAWN},
            S.PUBLISHED,
            event="consented",
            refusal="只有该企业可以同意公开展示",
        ),
        move(
            "decline",
            "不同意展示",
            is_entry_enterprise,
            {S.AWAITING},
            S.DECLINED,
            event="declined",
            refusal="只有该企业可以决定是否展示",
        ),
        move(
            "withdraw_consent",
            "撤回同意",
            is_entry_enterprise,
            {S.PUBLISHED},
            S.WITHDRAWN,
            event="withdrawn",
            refusal="只有该企业可以撤回同意",
        ),
    ],
)


def propose(*, by: User, photo: Any = None, **fields: Any) -> ShowcaseEntry:
    from qihub.accounts.models import Document, DocumentKind
    from qihub.accounts.uploads import upload_batch

    with SHOWCASE.create("propose", by=by) as step:
        with upload_batch() as batch:
            document = (
                Document.objects.create(
                    owner=by,
                    kind=DocumentKind.SUPPORTING,
                    **batch.store(photo),
                )
                if photo
                else None
            )
            step.record = ShowcaseEntry.objects.create(
                status=step.target, proposed_by=by, proposed_at=step.at, photo=document, **fields
            )
        notify(
            [step.record.enterprise.account],
            "请确认是否同意公开展示企业风采",
            f"平台拟在“企业风采”中展示“{step.record.title}”，请在工作台“企业风采展示同意”中同意或不同意。",
            dedupe_key=f"showcase-proposed:{step.record.pk}",
        )
    return step.record


def decide(entry: ShowcaseEntry, action: str, *, by: User, version: int) -> ShowcaseEntry:
    with SHOWCASE.step(entry, action, by=by, version=version) as step:
        if action == "consent":
            step.set(published_at=step.at)
        elif action == "withdraw_consent":
            step.set(published_at=None)
    return step.record
