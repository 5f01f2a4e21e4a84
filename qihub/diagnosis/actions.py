"""The problem's and the showcase entry's actions: one table each for the pages and the API
(ADR 0009), so both layers take the same form and reach the same decision."""

from typing import Any

from django.db.models import Q, QuerySet

from qihub.accounts.models import Role
from qihub.accounts.roles import BACK_OFFICE, DIAGNOSERS
from qihub.core.actions import Action, ActionTable
from qihub.demands.models import region_prefix
from qihub.diagnosis import forms, workflow
from qihub.diagnosis.models import Problem, ShowcaseEntry, ShowcaseStatus, Visit


def visits_visible_to(user: Any) -> QuerySet:
    """The enterprise its own visits; station staff those they recorded or of their area;
    experts, operators and the supervising department all of them."""
    visits = Visit.objects.select_related("enterprise")
    if not getattr(user, "is_authenticated", False):
        return visits.none()
    if user.role == Role.STATION_STAFF:
        mine = Q(recorded_by=user)
        if user.station is not None and user.station.region:
            mine |= Q(enterprise__region__startswith=region_prefix(user.station.region))
        return visits.filter(mine)
    if user.role in BACK_OFFICE | DIAGNOSERS:
        return visits
    return visits.filter(enterprise__account=user)


def problem_visible(user: Any, key: str) -> Problem | None:
    if not str(key).isdigit():
        return None
    return (
        Problem.objects.select_related("visit__enterprise")
        .filter(pk=int(key), visit__in=visits_visible_to(user))
        .first()
    )


def describe_problem(problem: Problem, user: Any) -> dict:
    return {
        "id": problem.pk,
        "visit": problem.visit.number,
        "description": problem.description,
        "severity": problem.severity,
        "severity_label": problem.get_severity_display(),
        "solution": problem.solution,
        "due_date": problem.due_date.isoformat(),
        "status": problem.status,
        "status_label": problem.get_status_display(),
        "answer": problem.answer,
        "version": problem.version,
    }


PROBLEM_ACTIONS = ActionTable(
    workflow.PROBLEMS,
    lookup=problem_visible,
    detail="diagnosis:problem",
    describe=describe_problem,
    key="pk",
    actions=[
        Action(
            "answer",
            forms.AnswerForm,
            lambda p, u, c: workflow.answer(p, by=u, version=c["version"], text=c["text"]),
            "整改情况已答复，诊断人员将跟进确认",
            summary="企业答复诊断问题的整改情况（version、text）",
        ),
        Action(
            "solve",
            forms.SolvedForm,
            lambda p, u, c: workflow.close(p, "solve", by=u, version=c["version"], note=c["note"]),
            "已确认问题解决",
            summary="诊断人员确认问题已解决（version、note）",
        ),
        Action(
            "not_solved",
            forms.NotSolvedForm,
            lambda p, u, c: workflow.close(
                p, "not_solved", by=u, version=c["version"], note=c["note"]
            ),
            "已确认问题未解决",
            summary="诊断人员确认问题未解决（version、note）",
            page="not-solved",
            api="not-solved",
        ),
    ],
)


def entry_visible(user: Any, key: str) -> ShowcaseEntry | None:
    """Everyone sees a published entry; any other only its enterprise and the back office."""
    if not str(key).isdigit():
        return None
    entry = ShowcaseEntry.objects.select_related("enterprise").filter(pk=int(key)).first()
    if entry is None:
        return None
    if entry.status == ShowcaseStatus.PUBLISHED:
        return entry
    if getattr(user, "is_authenticated", False) and (
        user.role in BACK_OFFICE or entry.enterprise.account_id == user.pk
    ):
        return entry
    return None


def describe_entry(entry: ShowcaseEntry, user: Any) -> dict:
    return {
        "id": entry.pk,
        "kind": entry.kind,
        "kind_label": entry.get_kind_display(),
        "title": entry.title,
        "enterprise": entry.enterprise.name,
        "summary": entry.summary,
        "year": entry.year,
        "honours": entry.honours,
        "status": entry.status,
        "status_label": entry.get_status_display(),
        "version": entry.version,
    }


SHOWCASE_ACTIONS = ActionTable(
    workflow.SHOWCASE,
    lookup=entry_visible,
    detail="diagnosis:showcase_entry",
    describe=describe_entry,
    key="pk",
    actions=[
        Action(
            "consent",
            forms.VersionForm,
            lambda e, u, c: workflow.decide(e, "consent", by=u, version=c["version"]),
            "已同意，风采已在“企业风采”中公开展示",
            summary="企业同意公开展示（version）",
        ),
        Action(
            "decline",
            forms.VersionForm,
            lambda e, u, c: workflow.decide(e, "decline", by=u, version=c["version"]),
            "已选择不同意展示",
            summary="企业不同意展示（version）",
        ),
        Action(
            "withdraw_consent",
            forms.VersionForm,
            lambda e, u, c: workflow.decide(e, "withdraw_consent", by=u, version=c["version"]),
            "已撤回同意，风采不再公开展示",
            summary="企业撤回同意，取消公开展示（version）",
            page="withdraw",
            api="withdraw",
        ),
    ],
)
