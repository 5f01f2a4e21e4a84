"""Institution listing (ACC-8): deregistration, hiding on qualification expiry and restoring,
on the one workflow mechanism (`qihub.core.workflow`, ADR 0009).

The only code that changes `Organisation.listed` / `deregistered_at` for institutions. The table
keys on the derived `Institution.listing` (listed / hidden / deregistered): its moves keep the
status field itself untouched (it is not a column) and the bodies edit `listed` and
`deregistered_at`, so every event carries their before/after values.
"""

import datetime as dt
from dataclasses import dataclass

import rules
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from qihub.accounts.models import MemberKind, Organisation, User
from qihub.accounts.roles import is_decider
from qihub.core.workflow import Workflow, WorkflowError, move
from qihub.institutions.models import Institution, Listing, OrganisationEvent, Qualification
from qihub.notifications.models import Channel, Notification
from qihub.notifications.outbox import notify
from qihub.workcal.calendar import TZ

WARN_DAYS = 30
L = Listing


@rules.predicate
def is_own_institution(user: User, institution: Institution | None) -> bool:
    return institution is not None and user.pk == institution.account_id


@rules.predicate
def is_system(user: User | None) -> bool:
    """The daily sweep acts without a person behind it."""
    return user is None


LISTING: Workflow[Institution] = Workflow(
    Institution,
    events=OrganisationEvent,
    subject="organisation",
    status_field="listing",
    stale="该机构已被他人处理，请刷新页面查看最新状态后再操作",
    kinds=("deregistered_by_platform",),
    moves=[
        move(
            "deregister",
            "注销",
            is_own_institution | is_decider,
            {L.LISTED, L.HIDDEN},
            event="deregistered",
            refusal="只有机构本身或平台运营人员可以注销机构",
        ),
        move(
            "hide_expired",
            "资质到期暂停显示",
            is_system | is_decider,
            {L.LISTED},
            event="hidden_expired",
            refusal="只有资质到期巡检可以暂停显示机构",
        ),
        move(
            "restore",
            "恢复显示",
            is_decider,
            {L.HIDDEN},
            event="restored",
            refusal="只有平台运营人员可以恢复显示机构",
        ),
    ],
)


def _institution(organisation: Organisation) -> Institution:
    if organisation.kind != MemberKind.INSTITUTION:
        raise WorkflowError("只有技术机构可以在此注销或恢复显示")
    return Institution.objects.get(pk=organisation.pk)


def deregister(
    organisation: Organisation, *, by: User, reason: str, by_platform: bool
) -> Organisation:
    reason = reason.strip()
    institution = _institution(organisation)
    if institution.deregistered_at:
        raise WorkflowError("该机构已注销")
    if not reason:
        raise WorkflowError("注销原因：必须填写")
    with LISTING.step(institution, "deregister", by=by, note=reason) as step:
        step.edit(deregistered_at=step.at, listed=False)
        if by_platform:
            step.kind = "deregistered_by_platform"
        account = step.record.account
        account.is_active = False
        account.save(update_fields=["is_active"])
        _drop_from_search(step.record)
        subject = "您的机构已被平台注销" if by_platform else "机构注销已办理"
        notify(
            [account],
            subject,
            f"原因：{reason}",
            channels=[Channel.INBOX, Channel.EMAIL],
            now=step.at,
        )
    return step.record


def restore(organisation: Organisation, *, by: User, note: str = "") -> Organisation:
    """Show a hidden institution again once it holds a valid qualification (ACC-8)."""
    institution = _institution(organisation)
    today = timezone.localdate()
    if not institution.qualifications.filter(valid_until__gte=today).exists():
        raise WorkflowError("恢复显示：该机构没有有效期内的资质，请先更新资质证书")
    with LISTING.step(institution, "restore", by=by, note=note.strip()) as step:
        step.edit(listed=True)
        _drop_from_search(step.record)  # reindexing puts it back
        notify(
            [step.record.account],
            "机构已恢复在检索与推荐中显示",
            note.strip(),
            channels=[Channel.INBOX, Channel.SMS],
            now=step.at,
        )
    return step.record


def _drop_from_search(organisation: Organisation) -> None:
    from qihub.institutions.search import reindex  # search builds on this module

    reindex(organisation)


@dataclass
class ExpiryResult:
    warned: int = 0
    hidden: int = 0


def sweep_qualifications(today: dt.date | None = None) -> ExpiryResult:
    """Warn 30 days before a qualification expires; hide institutions with none left valid.
    Idempotent: a warning is keyed by qualification and expiry date; hiding is a step from
    "listed", so a second sweep finds the move no longer legal and skips it."""
    today = today or timezone.localdate()
    result = ExpiryResult()
    now = timezone.now()
    expiring = Qualification.objects.filter(
        valid_until=today + dt.timedelta(days=WARN_DAYS),
        organisation__deregistered_at__isnull=True,
    ).select_related("organisation__account")
    with transaction.atomic():
        for qualification in expiring:
            key = f"qualification-expiry-{qualification.pk}-{qualification.valid_until}"
            if Notification.objects.filter(dedupe_key=key).exists():
                continue
            notify(
                [qualification.organisation.account],
                f"资质证书将于 {qualification.valid_until:%Y-%m-%d} 到期",
                f"{qualification.get_type_display()} {qualification.number} 还有 {WARN_DAYS} 天到期，"
                "请及时办理延续并上传新证书，到期后将不再出现在检索与推荐中。",
                channels=[Channel.INBOX, Channel.SMS],
                dedupe_key=key,
                now=now,
            )
            result.warned += 1
    lapsed = (
        Institution.objects.filter(
            kind=MemberKind.INSTITUTION, listed=True, deregistered_at__isnull=True
        )
        .annotate(last_valid=Max("qualifications__valid_until"))
        .filter(last_valid__lt=today)
    )
    for institution in lapsed:
        try:
            with LISTING.step(
                institution,
                "hide_expired",
                by=None,
                at=now,
                note=f"全部资质已于 {institution.last_valid:%Y-%m-%d} 前到期",
            ) as step:
                step.edit(listed=False)
                _drop_from_search(step.record)
                notify(
                    [step.record.account],
                    "资质已全部到期，机构暂不在检索与推荐中显示",
                    "上传有效资质证书并经审核后恢复显示。",
                    channels=[Channel.INBOX, Channel.SMS],
                    now=now,
                )
        except WorkflowError:
            continue  # another sweep (or a deregistration) got there first
        result.hidden += 1
    return result


def listed_institutions(today: dt.date | None = None):  # noqa: ANN201 - a QuerySet
    """Institutions that may appear in search and recommendation (MATCH-3 builds on this)."""
    today = today or dt.datetime.now(TZ).date()
    return Organisation.objects.filter(
        kind=MemberKind.INSTITUTION,
        listed=True,
        deregistered_at__isnull=True,
        account__verified_at__isnull=False,
        qualifications__valid_until__gte=today,
        qualifications__withdrawn_at__isnull=True,
    ).distinct()


def run_import_job(job_id: int) -> None:
    """Run one staff Excel import (in the background queue), recording progress as it goes."""
    from qihub.institutions.import_excel import workbook_to_lines
    from qihub.institutions.importer import import_lines
    from qihub.institutions.models import ImportJob

    Status = ImportJob.Status
    if not ImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(status=Status.RUNNING):
        return  # already taken by another worker
    job = ImportJob.objects.get(pk=job_id)

    def finish(status: str, **fields: object) -> None:
        ImportJob.objects.filter(pk=job_id).update(
            status=status, finished_at=timezone.now(), data=b"", **fields
        )

    try:
        lines, link_errors = workbook_to_lines(bytes(job.data))
    except ValueError as exc:
        finish(Status.REFUSED, errors=[str(exc)])
        return
    if link_errors and not job.skip_invalid:
        finish(Status.REFUSED, errors=link_errors)
        return

    def validated(total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(total=total)

    def progress(done: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(done=done)

    try:
        report = import_lines(
            lines, skip_invalid=job.skip_invalid, progress=progress, validated=validated
        )
    except Exception as exc:  # recorded for staff; batches saved before it stay (re-run upserts)
        finish(Status.FAILED, errors=[f"导入中断（{exc.__class__.__name__}），可重新导入同一文件"])
        raise
    errors = link_errors + report.errors
    if report.errors and not job.skip_invalid:
        finish(Status.REFUSED, errors=errors, total=report.total)
        return
    finish(
        Status.DONE,
        errors=errors,
        done=report.created + report.updated,
        total=report.created + report.updated,
        created=report.created,
        updated=report.updated,
    )
