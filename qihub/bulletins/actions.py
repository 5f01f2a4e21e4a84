"""The defect report's actions, one table for the pages (/bulletins/defects/<number>/<action>/)
and the API (/api/v1/bulletins/defects/<number>/<action>): same form, same workflow call
(ADR 0009). Submitting lives on the report form and `POST /api/v1/bulletins/defects`."""

from typing import Any

from django.utils import timezone

from qihub.bulletins import forms, workflow
from qihub.bulletins.models import DefectReport
from qihub.core.actions import Action, ActionTable
from qihub.deadlines.queries import describe as clock_reading
from qihub.deadlines.queries import open_clock


def visible(user: Any, number: str) -> DefectReport | None:
    return workflow.visible_reports(user).filter(number=number).first()


def describe(report: DefectReport, user: Any) -> dict:
    clock = clock_reading(open_clock(report, "defect_answer"), timezone.now())
    return {
        "number": report.number,
        "product": report.product,
        "maker": report.maker,
        "field": report.field,
        "field_label": report.get_field_display(),
        "defect": report.defect,
        "status": report.status,
        "status_label": report.get_status_display(),
        "answer": report.answer,
        "passed_to": report.passed_to,
        "passed_to_label": report.get_passed_to_display() if report.passed_to else "",
        "passed_to_name": report.passed_to_name,
        "evidence": [e.original_name for e in report.evidence.all()],
        "due_at": clock["due_at"].isoformat() if clock else None,
        "version": report.version,
    }


ACTIONS = ActionTable(
    workflow.FLOW,
    lookup=visible,
    detail="bulletins:defect",
    describe=describe,
    actions=[
        Action(
            "answer",
            forms.AnswerForm,
            lambda r, u, c: workflow.answer(r, by=u, version=c.get("version"), text=c["text"]),
            "已答复报告人",
            summary="答复产品缺陷报告（停止答复时限）",
        ),
        Action(
            "pass_on",
            forms.PassOnForm,
            lambda r, u, c: workflow.pass_on(
                r, by=u, version=c.get("version"), to=c["to"], name=c["name"], note=c["note"]
            ),
            "已登记移送",
            summary="将产品缺陷报告移送监管部门或生产企业",
        ),
    ],
)
