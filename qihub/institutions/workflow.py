"""Institution life-cycle (ACC-8): deregistration and qualification expiry.

The only code that changes `Organisation.listed` / `deregistered_at` for institutions.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from qihub.accounts.models import MemberKind, Organisation, User
from qihub.institutions.models import OrganisationEvent, Qualification
from qihub.notifications.models import Channel, Notification
from qihub.notifications.outbox import notify
from qihub.workcal.calendar import TZ

WARN_DAYS = 30


class LifecycleError(Exception):
    pass


@transaction.atomic
def deregister(
    organisation: Organisation, *, by: User, reason: str, by_platform: bool
) -> Organisation:
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.kind != MemberKind.INSTITUTION:
        raise LifecycleError("只有技术机构可以在此注销")
    if organisation.deregistered_at:
        raise LifecycleError("该机构已注销")
    if not reason.strip():
        raise LifecycleError("注销原因：必须填写")
    now = timezone.now()
    organisation.deregistered_at = now
    organisation.listed = False
    organisation.save(update_fields=["deregistered_at", "listed"])
    account = organisation.account
    account.is_active = False
    account.save(update_fields=["is_active"])
    _drop_from_search(organisation)
    kind = "deregistered_by_platform" if by_platform else "deregistered"
    OrganisationEvent.objects.create(
        organisation=organisation, kind=kind, at=now, by=by, note=reason.strip()
    )
    subject = "您的机构已被平台注销" if by_platform else "机构注销已办理"
    notify(
        [account],
        subject,
        f"原因：{reason.strip()}",
        channels=[Channel.INBOX, Channel.EMAIL],
        now=now,
    )
    return organisation


def _drop_from_search(organisation: Organisation) -> None:
    from qihub.institutions.search import reindex  # search builds on this module

    reindex(organisation)


@dataclass
class ExpiryResult:
    warned: int = 0
    hidden: int = 0


def sweep_qualifications(today: dt.date | None = None) -> ExpiryResult:
    """Warn 30 days before a qualification expires; hide institutions with none left valid.
    Idempotent: a warning is keyed by qualification and expiry date; hiding is compare-and-set."""
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
        Organisation.objects.filter(
            kind=MemberKind.INSTITUTION, listed=True, deregistered_at__isnull=True
        )
        .annotate(last_valid=Max("qualifications__valid_until"))
        .filter(last_valid__lt=today)
    )
    for organisation in lapsed:
        with transaction.atomic():
            if not Organisation.objects.filter(pk=organisation.pk, listed=True).update(
                listed=False
            ):
                continue  # another sweep got there first
            _drop_from_search(organisation)
            OrganisationEvent.objects.create(
                organisation=organisation,
                kind="hidden_expired",
                at=now,
                note=f"全部资质已于 {organisation.last_valid:%Y-%m-%d} 前到期",
            )
            notify(
                [organisation.account],
                "资质已全部到期，机构暂不在检索与推荐中显示",
                "上传有效资质证书并经审核后恢复显示。",
                channels=[Channel.INBOX, Channel.SMS],
                now=now,
            )
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
