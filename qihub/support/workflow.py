"""A technical-support request's steps (OPS-1) on the one workflow mechanism (ADR 0009):
待答复 → 已答复 → 已关闭. Submitting starts the declared clock `support_answer` (1 working day);
the operator's reply stops it and reaches the user's inbox; the user may add more information
(back to 待答复, the clock starts again) or close the request; an answered request nobody
touches is closed by the daily task after `AUTO_CLOSE_DAYS`."""

import datetime as dt
from typing import Any

import rules
from django.db.models import QuerySet
from django.utils import timezone

from qihub.accounts.roles import is_handler
from qihub.accounts.uploads import upload_batch
from qihub.core.numbering import next_number
from qihub.core.workflow import Workflow, move
from qihub.notifications.outbox import notify
from qihub.support.models import VISITOR, SupportEvent, SupportRequest, SupportScreenshot
from qihub.support.models import SupportStatus as S

CLOCK = "support_answer"
# Answered requests the user neither closes nor follows up are closed after this many days.
AUTO_CLOSE_DAYS = 7
HANDLE = "只有平台工作人员可以答复技术支持请求"
MINE = "只有提交人本人可以进行此操作"


@rules.predicate
def is_submitter(user: Any, request: SupportRequest | None) -> bool:
    pk = getattr(user, "pk", None)
    return request is not None and pk is not None and request.submitter_id == pk


@rules.predicate
def is_system(user: Any) -> bool:
    # The daily task acts without a person.
    return user is None


FLOW: Workflow[SupportRequest] = Workflow(
    SupportRequest,
    events=SupportEvent,
    subject="request",
    moves=[
        # Anyone may ask, with or without an account (contact details then required).
        move(
            "submit",
            "提交技术支持请求",
            rules.always_allow,
            {None},
            S.SUBMITTED,
            starts=(CLOCK,),
            event="submitted",
        ),
        move(
            "answer",
            "答复",
            is_handler,
            {S.SUBMITTED},
            S.ANSWERED,
            stops=(CLOCK,),
            event="answered",
            refusal=HANDLE,
        ),
        move(
            "add_info",
            "补充说明",
            is_submitter,
            {S.ANSWERED},
            S.SUBMITTED,
            starts=(CLOCK,),
            event="info_added",
            refusal=MINE,
        ),
        move(
            "close",
            "关闭请求",
            is_submitter,
            {S.SUBMITTED, S.ANSWERED},
            S.CLOSED,
            stops=(CLOCK,),
            event="closed",
            refusal=MINE,
        ),
        move(
            "expire",
            "到期自动关闭",
            is_system,
            {S.ANSWERED},
            S.CLOSED,
            event="expired",
            refusal="只有系统可以自动关闭请求",
        ),
    ],
)


def submit(*, by: Any, data: dict, screenshot: Any = None) -> SupportRequest:
    """Receive a request with its screenshot; the file is removed again if anything fails."""
    submitter = by if getattr(by, "is_authenticated", False) else None
    with upload_batch() as batch, FLOW.create("submit", by=submitter) as step:
        made = SupportRequest.objects.create(
            number=next_number("JS", at=step.at),
            submitter=submitter,
            role=getattr(submitter, "role", VISITOR) if submitter else VISITOR,
            page=data.get("page", ""),
            error_number=data.get("error_number", ""),
            description=data["description"],
            contact_name=data.get("contact_name", ""),
            contact_phone=data.get("contact_phone", ""),
            status=step.target,
        )
        if screenshot:
            SupportScreenshot.objects.create(request=made, **batch.store(screenshot))
        step.record = made
    return made


def answer(request: SupportRequest, *, by: Any, version: int | None, text: str) -> None:
    with FLOW.step(request, "answer", by=by, version=version, note=text) as step:
        step.set(reply=text, answered_at=step.at)
        if step.record.submitter_id:
            notify(
                [step.record.submitter],
                f"您的技术支持请求 {step.record.number} 已答复",
                text,
                dedupe_key=f"support-answer-{step.record.pk}-{step.record.version}",
            )


def add_info(request: SupportRequest, *, by: Any, version: int | None, text: str) -> None:
    with FLOW.step(request, "add_info", by=by, version=version, note=text) as step:
        step.set(description=f"{step.record.description}\n\n补充说明：{text}")


def close(request: SupportRequest, *, by: Any, version: int | None, note: str) -> None:
    with FLOW.step(request, "close", by=by, version=version, note=note):
        pass


def close_stale(now: dt.datetime | None = None) -> int:
    """Close answered requests left alone for `AUTO_CLOSE_DAYS` (the daily task)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=AUTO_CLOSE_DAYS)
    stale = SupportRequest.objects.filter(status=S.ANSWERED, answered_at__lt=cutoff)
    for found in stale:
        with FLOW.step(found, "expire", by=None, at=now, note=f"答复后 {AUTO_CLOSE_DAYS} 天未回应"):
            pass
    return len(stale)


def visible_requests(user: Any) -> QuerySet[SupportRequest]:
    """Handlers see every request; a user with an account sees their own."""
    rows = SupportRequest.objects.select_related("submitter")
    if not getattr(user, "is_authenticated", False):
        return rows.none()
    if is_handler(user):
        return rows
    return rows.filter(submitter=user)


def to_answer(user: Any) -> QuerySet[SupportRequest]:
    """The staff's due list: requests waiting for an answer."""
    if not is_handler(user):
        return SupportRequest.objects.none()
    return SupportRequest.objects.filter(status=S.SUBMITTED)


def my_open(user: Any) -> QuerySet[SupportRequest]:
    if not getattr(user, "is_authenticated", False):
        return SupportRequest.objects.none()
    return SupportRequest.objects.filter(submitter=user).exclude(status=S.CLOSED)
