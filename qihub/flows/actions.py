"""The flow run's actions: one table for the pages and the API (ADR 0009)."""

from typing import Any

from django.db.models import QuerySet

from qihub.accounts.roles import ALL_STAFF
from qihub.core.actions import Action, ActionTable
from qihub.deadlines.queries import open_clock
from qihub.flows import forms, workflow
from qihub.flows.models import FlowRun


def runs_visible_to(user: Any) -> QuerySet:
    """The enterprise its own runs; the service team and the back office all of them."""
    runs = FlowRun.objects.select_related("template", "enterprise")
    if not getattr(user, "is_authenticated", False):
        return runs.none()
    if user.role in ALL_STAFF:
        return runs
    return runs.filter(enterprise__account=user)


def run_visible(user: Any, key: str) -> FlowRun | None:
    return runs_visible_to(user).filter(number=key).first()


def describe_run(run: FlowRun, user: Any) -> dict:
    steps = []
    for rs in run.run_steps.select_related("step").order_by("position"):
        clock = open_clock(rs, workflow.STEP_CLOCK)
        steps.append(
            {
                "position": rs.position,
                "title": rs.step.title,
                "actor": rs.step.actor,
                "actor_label": rs.step.get_actor_display(),
                "documents": rs.step.documents,
                "limit_days": rs.limit_days,
                "state": rs.state,
                "state_label": rs.get_state_display(),
                "due_at": clock.due_at.isoformat() if clock else None,
                "done_at": rs.done_at.isoformat() if rs.done_at else None,
                "note": rs.note,
                "has_document": rs.document_id is not None,
            }
        )
    return {
        "number": run.number,
        "flow": run.template.code,
        "title": run.template.title,
        "template_version": run.template.version,
        "enterprise": run.enterprise.name,
        "subject": run.subject,
        "status": run.status,
        "status_label": run.get_status_display(),
        "version": run.version,
        "steps": steps,
    }


RUN_ACTIONS = ActionTable(
    workflow.RUNS,
    lookup=run_visible,
    detail="flows:run",
    describe=describe_run,
    actions=[
        Action(
            "tick",
            forms.TickForm,
            lambda r, u, c: workflow.tick(
                r,
                by=u,
                version=c["version"],
                position=c["position"],
                note=c["note"],
                upload=c.get("document"),
            ),
            "已完成该步骤",
            summary="完成当前步骤（version、position、note，需要时上传 document）",
        ),
        Action(
            "cancel",
            forms.CancelForm,
            lambda r, u, c: workflow.cancel(r, by=u, version=c["version"], reason=c["reason"]),
            "已撤销该办理流程",
            summary="撤销办理流程（version、reason）",
        ),
    ],
)
