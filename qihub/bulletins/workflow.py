"""A product-defect report's steps (CMP-5) on the one workflow mechanism (ADR 0009):
已受理 → 已答复 → 已移送. Submitting receives the report and starts the declared clock
`defect_answer` (5 working days); answering the reporter stops it; passing the report on to the
regulator or the maker is recorded as its own step."""

from typing import Any

import rules
from django.db.models import QuerySet

from qihub.accounts.roles import is_handler, is_staff_member
from qihub.accounts.uploads import upload_batch
from qihub.bulletins.models import DefectEvent, DefectEvidence, DefectReport
from qihub.bulletins.models import DefectStatus as S
from qihub.core.numbering import next_number
from qihub.core.workflow import Workflow, move
from qihub.notifications.outbox import notify

HANDLE = "只有平台工作人员可以办理产品缺陷报告"

FLOW: Workflow[DefectReport] = Workflow(
    DefectReport,
    events=DefectEvent,
    subject="report",
    moves=[
        # Anyone may report, with or without an account (contact details then required).
        move(
            "submit",
            "提交缺陷报告",
            rules.always_allow,
            {None},
            S.RECEIVED,
            starts=("defect_answer",),
            event="submitted",
        ),
        move(
            "answer",
            "答复报告人",
            is_handler,
            {S.RECEIVED},
            S.ANSWERED,
            stops=("defect_answer",),
            event="answered",
            refusal=HANDLE,
        ),
        move(
            "pass_on",
            "移送",
            is_handler,
            {S.RECEIVED, S.ANSWERED},
            S.PASSED_ON,
            stops=("defect_answer",),
            event="passed_on",
            refusal=HANDLE,
        ),
    ],
)


def submit(*, by: Any, data: dict, files: list) -> DefectReport:
    """Receive a report with its evidence; files are removed again if anything fails."""
    reporter = by if getattr(by, "is_authenticated", False) else None
    with upload_batch() as batch, FLOW.create("submit", by=reporter) as step:
        report = DefectReport.objects.create(
            number=next_number("QX", at=step.at),
            reporter=reporter,
            contact_name=data["contact_name"],
            contact_phone=data["contact_phone"],
            product=data["product"],
            maker=data.get("maker", ""),
            model_spec=data.get("model_spec", ""),
            field=data["field"],
            defect=data["defect"],
            status=step.target,
        )
        for upload in files:
            DefectEvidence.objects.create(report=report, **batch.store(upload))
        step.record = report
    return report


def answer(report: DefectReport, *, by: Any, version: int | None, text: str) -> None:
    with FLOW.step(report, "answer", by=by, version=version, note=text) as step:
        step.set(answer=text)
        if step.record.reporter_id:
            notify(
                [step.record.reporter],
                f"您的产品缺陷报告 {step.record.number} 已答复",
                text,
                dedupe_key=f"defect-answer-{step.record.pk}",
            )


def pass_on(
    report: DefectReport, *, by: Any, version: int | None, to: str, name: str, note: str
) -> None:
    with FLOW.step(report, "pass_on", by=by, version=version, note=note) as step:
        step.set(passed_to=to, passed_to_name=name)


def visible_reports(user: Any) -> QuerySet[DefectReport]:
    """Staff see every report; a reporter with an account sees their own."""
    rows = DefectReport.objects.select_related("reporter")
    if not getattr(user, "is_authenticated", False):
        return rows.none()
    if is_staff_member(user):
        return rows
    return rows.filter(reporter=user)


def to_handle(user: Any) -> QuerySet[DefectReport]:
    """The staff's due list: reports still waiting for an answer or to be passed on."""
    if not is_handler(user):
        return DefectReport.objects.none()
    return DefectReport.objects.filter(status=S.RECEIVED)
