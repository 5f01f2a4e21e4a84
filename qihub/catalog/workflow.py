"""Notices (通知公告, issue 15) through the one workflow mechanism (ADR 0009): publishing and
withdrawing are moves with history, so who put what on the home page, and when, is on record."""

from typing import Any

from qihub.accounts.roles import is_decider
from qihub.catalog.models import Notice, NoticeEvent
from qihub.catalog.models import NoticeStatus as S
from qihub.core.workflow import Workflow, move

FLOW: Workflow[Notice] = Workflow(
    Notice,
    events=NoticeEvent,
    subject="notice",
    moves=[
        move(
            "publish",
            "发布",
            is_decider,
            {None},
            S.PUBLISHED,
            event="published",
            refusal="只有平台运营人员可以发布通知公告",
        ),
        move(
            "withdraw",
            "撤回",
            is_decider,
            {S.PUBLISHED},
            S.WITHDRAWN,
            event="withdrawn",
            refusal="只有平台运营人员可以撤回通知公告",
        ),
    ],
)


def publish(*, by: Any, title: str, body: str, pinned: bool = False) -> Notice:
    with FLOW.create("publish", by=by) as step:
        step.record = Notice.objects.create(
            title=title,
            body=body,
            pinned=pinned,
            status=step.target,
            published_at=step.at,
            published_by=by,
        )
    return step.record


def withdraw(notice: Notice, *, by: Any, version: int, note: str = "") -> Notice:
    with FLOW.step(notice, "withdraw", by=by, version=version, note=note) as step:
        pass
    return step.record
