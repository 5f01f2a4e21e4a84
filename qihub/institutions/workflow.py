"""Institution listing (ACC-8): closure and deregistration, hiding on qualification expiry or
withdrawal and relisting, on the one workflow mechanism (`qihub.core.workflow`, ADR 0009); and
the institution's qualification and scope change requests reviewed by operators (`CHANGES`).

The only code that changes `Organisation.listed` / `deregistered_at` for institutions. The table
keys on the derived `Institution.listing` (listed / hidden / deregistered): its moves keep the
status field itself untouched (it is not a column) and the bodies edit `listed` and
`deregistered_at`, so every event carries their before/after values.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import rules
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from qihub.accounts.models import Document, DocumentKind, MemberKind, Organisation, User
from qihub.accounts.roles import is_decider, is_institution
from qihub.core.numbering import next_number
from qihub.core.workflow import Workflow, WorkflowError, move
from qihub.institutions.models import (
    EXPIRY_WARNING_DAYS,
    ChangeKind,
    ChangeStatus,
    Institution,
    Listing,
    OrganisationEvent,
    Qualification,
    QualificationChange,
    QualificationChangeEvent,
    ScopeLine,
)
from qihub.institutions.scope import needs_qualification
from qihub.notifications.models import Channel, Notification
from qihub.notifications.outbox import notify
from qihub.workcal.calendar import TZ

WARN_DAYS = EXPIRY_WARNING_DAYS
L = Listing
DEREGISTRATION_CLOCK = "deregistration"


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
    kinds={
        "deregistered_by_platform": "平台注销机构",
        "hidden_withdrawn": "撤回后无有效资质，暂停展示",
    },
    moves=[
        # Reported closure (停业): hidden at once; the declared 1-month deregistration clock runs
        # from the closure date (started in the body, like a change report's) until `deregister`.
        move(
            "report_closure",
            "报告停业",
            is_own_institution,
            {L.LISTED, L.HIDDEN},
            event="closure_reported",
            refusal="只有机构本身可以报告停业",
        ),
        move(
            "deregister",
            "注销",
            is_own_institution | is_decider,
            {L.LISTED, L.HIDDEN},
            stops=(DEREGISTRATION_CLOCK,),
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
        # An approved renewal or new qualification of an institution hidden for lapsed ones.
        move(
            "relist_renewed",
            "资质更新后恢复显示",
            is_system | is_decider,
            {L.HIDDEN},
            event="relisted",
            refusal="只有资质变更审核可以恢复显示机构",
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
        subject = "您的机构已被平台注销" if by_platform else "机构注销已办理"
        notify(
            [account],
            subject,
            f"原因：{reason}",
            channels=[Channel.INBOX, Channel.EMAIL],
            now=step.at,
        )
    _drop_from_search(step.record)  # after the step: the index reads the saved listing
    return step.record


def restore(organisation: Organisation, *, by: User, note: str = "") -> Organisation:
    """Show a hidden institution again once it holds a valid qualification (ACC-8)."""
    institution = _institution(organisation)
    today = timezone.localdate()
    if not valid_qualifications(institution, today).exists():
        raise WorkflowError("恢复显示：该机构没有有效期内的资质，请先更新资质证书")
    with LISTING.step(institution, "restore", by=by, note=note.strip()) as step:
        step.edit(listed=True)
        notify(
            [step.record.account],
            "机构已恢复在检索与推荐中显示",
            note.strip(),
            channels=[Channel.INBOX, Channel.SMS],
            now=step.at,
        )
    _drop_from_search(step.record)  # saved as listed now: reindexing puts it back
    return step.record


def valid_qualifications(organisation: Organisation, today: dt.date):  # noqa: ANN201 - a QuerySet
    """The organisation's qualifications valid on `today`: not withdrawn, not lapsed."""
    return organisation.qualifications.filter(withdrawn_at__isnull=True, valid_until__gte=today)


def closing(organisation: Organisation) -> bool:
    """The institution reported its closure and is not yet deregistered (clock running)."""
    from qihub.deadlines.queries import open_clock

    return open_clock(Institution.objects.get(pk=organisation.pk), DEREGISTRATION_CLOCK) is not None


def report_closure(
    organisation: Organisation, *, by: User, closed_on: dt.date, note: str = ""
) -> Organisation:
    """The institution reports that it closed (停业, ACC-8): it leaves search and recommendation
    at once and must finish deregistration within 1 month of the closure date; the sweep reminds
    it before and escalates after. Deregistering stops the clock."""
    from qihub.deadlines import workflow as clocks
    from qihub.onboarding.workflow import _operators

    institution = _institution(organisation)
    if closing(institution):
        raise WorkflowError("停业已报告，请在 1 个月内办理注销")
    if closed_on > timezone.localdate():
        raise WorkflowError("停业日期：不能晚于今天")
    started = dt.datetime.combine(closed_on, dt.time(0), tzinfo=TZ)
    with LISTING.step(institution, "report_closure", by=by, note=note.strip()) as step:
        step.edit(listed=False)
        clock = clocks.start_clock(
            DEREGISTRATION_CLOCK, step.record, owner=step.record.account, at=started
        )
        due = f"{clock.due_at.astimezone(TZ):%Y-%m-%d}"
        step.note = f"停业日期 {closed_on:%Y-%m-%d}，应于 {due} 前办理注销。{note.strip()}".strip()
        notify(
            [step.record.account],
            "停业已报告，请在 1 个月内办理注销",
            f"请于 {due} 前完成机构注销。",
            channels=[Channel.INBOX, Channel.SMS],
            now=step.at,
        )
        notify(_operators(), f"机构报告停业：{step.record.name}", step.note, now=step.at)
    _drop_from_search(step.record)
    return step.record


def _drop_from_search(organisation: Organisation) -> None:
    from qihub.institutions.index import reindex  # the index builds on this module

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
        .annotate(
            last_valid=Max(
                "qualifications__valid_until",
                filter=Q(qualifications__withdrawn_at__isnull=True),
            )
        )
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
                notify(
                    [step.record.account],
                    "资质已全部到期，机构暂不在检索与推荐中显示",
                    "上传有效资质证书并经审核后恢复显示。",
                    channels=[Channel.INBOX, Channel.SMS],
                    now=now,
                )
        except WorkflowError:
            continue  # another sweep (or a deregistration) got there first
        _drop_from_search(step.record)
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


# --- qualification and scope change requests (ACC-5, ACC-8, MATCH-3) ----------------------
CS = ChangeStatus


@rules.predicate
def is_requesting_institution(user: User, change: QualificationChange | None) -> bool:
    """The institution itself: for a new request, an institution member still registered."""
    if change is None:
        return Organisation.objects.filter(
            account_id=user.pk, kind=MemberKind.INSTITUTION, deregistered_at__isnull=True
        ).exists()
    return change.organisation.account_id == user.pk


CHANGES: Workflow[QualificationChange] = Workflow(
    QualificationChange,
    events=QualificationChangeEvent,
    subject="change",
    stale="该变更申请已被他人处理，请刷新页面查看最新状态后再操作",
    moves=[
        move(
            "submit",
            "提交资质变更申请",
            is_institution & is_requesting_institution,
            {None},
            CS.SUBMITTED,
            event="submitted",
            refusal="只有机构本身可以申请变更资质与能力范围",
        ),
        move(
            "approve",
            "审核通过",
            is_decider,
            {CS.SUBMITTED},
            CS.APPROVED,
            event="approved",
            refusal="只有平台运营人员可以审核资质变更",
        ),
        move(
            "return",
            "退回",
            is_decider,
            {CS.SUBMITTED},
            CS.RETURNED,
            event="returned",
            refusal="只有平台运营人员可以审核资质变更",
        ),
        move(
            "withdraw_request",
            "撤销申请",
            is_institution & is_requesting_institution,
            {CS.SUBMITTED},
            CS.CANCELLED,
            event="cancelled",
            refusal="只有提出申请的机构可以撤销申请",
        ),
    ],
)

LINE_FIELDS = ("category", "verb", "object", "parameter", "standard", "limits")


def submit_change(
    organisation: Organisation, *, by: User, kind: str, data: dict[str, Any]
) -> QualificationChange:
    """Record the request with its certificate; nothing live changes until an operator approves.
    `data` is a change form's cleaned data (`institutions.forms`)."""
    from qihub.accounts.uploads import upload_batch
    from qihub.onboarding.workflow import _operators

    with upload_batch() as batch, transaction.atomic():
        with CHANGES.create("submit", by=by) as step:
            qualification = data.get("qualification")
            if qualification is not None and qualification.organisation_id != organisation.pk:
                raise WorkflowError("资质证书：不是本机构的资质")
            if qualification is not None and qualification.withdrawn_at is not None:
                raise WorkflowError("资质证书：该资质已撤回，不能再变更")
            certificate = None
            if data.get("certificate"):
                certificate = Document.objects.create(
                    owner=by,
                    kind=DocumentKind.QUALIFICATION_CERTIFICATE,
                    **batch.store(data["certificate"]),
                )
            change = QualificationChange.objects.create(
                number=next_number("ZZ", step.at),
                organisation=organisation,
                kind=kind,
                status=step.target,
                qualification=qualification,
                type=data.get("type") or (qualification.type if qualification else ""),
                certificate_number=data.get("certificate_number") or "",
                issuer=data.get("issuer") or "",
                valid_from=data.get("valid_from"),
                valid_until=data.get("valid_until"),
                scope=data.get("scope") or "",
                certificate=certificate,
                new_lines=[
                    {f: line.get(f, "") for f in LINE_FIELDS} for line in data.get("lines", [])
                ],
                reason=(data.get("reason") or "").strip(),
                submitted_by=by,
                submitted_at=step.at,
            )
            retired = list(data.get("retire") or [])
            if any(line.organisation_id != organisation.pk for line in retired):
                raise WorkflowError("撤回的能力范围：不是本机构的能力范围")
            change.retired_lines.set(retired)
            step.record = change
            step.note = _summary(change)
            notify(
                _operators(),
                f"资质变更待审核：{organisation.name}",
                f"{change.number} {step.note}",
                now=step.at,
            )
    return change


def _summary(change: QualificationChange) -> str:
    what = change.get_kind_display()
    if change.qualification_id:
        what += f"：{change.qualification}"
    elif change.kind == ChangeKind.ADD:
        what += f"：{change.get_type_display()} {change.certificate_number}"
    if change.valid_until:
        what += f"，有效期至 {change.valid_until:%Y-%m-%d}"
    if change.new_lines:
        what += f"，新增能力范围 {len(change.new_lines)} 项"
    retired = change.retired_lines.count()
    if retired:
        what += f"，撤回能力范围 {retired} 项"
    return what


def approve_change(
    change: QualificationChange, *, by: User, note: str = "", version: int | None = None
) -> QualificationChange:
    """Apply the request to the live qualifications and lines, reindex, and move the listing:
    relisted when a hidden institution holds a valid qualification again (ACC-8), hidden when a
    withdrawal leaves none."""
    note = note.strip()
    with CHANGES.step(change, "approve", by=by, note=note, version=version) as step:
        change = step.record
        organisation = Organisation.objects.select_for_update().get(pk=change.organisation_id)
        if organisation.deregistered_at:
            raise WorkflowError("该机构已注销，不能变更资质")
        step.before, step.after = _apply(change, step.at)
        step.set(
            qualification=change.qualification,
            decided_at=step.at,
            decided_by=by,
            decision_note=note,
        )
        step.note = (f"{_summary(change)}。{note}" if note else _summary(change))[:500]
        _tell(organisation, f"资质变更申请 {change.number} 已审核通过", note, step.at)
    _follow_listing(organisation, by=by, change=step.record)
    _drop_from_search(organisation)
    return step.record


def _apply(change: QualificationChange, at: dt.datetime) -> tuple[dict, dict]:
    """The body of an approval: returns the before/after values for the event."""
    organisation = change.organisation
    if change.kind == ChangeKind.ADD:
        qualification = Qualification.objects.create(
            organisation=organisation,
            type=change.type,
            number=change.certificate_number,
            issuer=change.issuer,
            valid_from=change.valid_from,
            valid_until=change.valid_until,
            scope=change.scope,
            certificate=change.certificate,
        )
        change.qualification = qualification
        _add_lines(change, qualification)
        return {}, {"qualification": str(qualification), "lines": len(change.new_lines)}
    qualification = Qualification.objects.select_for_update().get(pk=change.qualification_id)
    if qualification.withdrawn_at is not None:
        raise WorkflowError("资质证书：该资质已撤回，不能再变更")
    if change.kind == ChangeKind.RENEW:
        fields = {
            "number": change.certificate_number or qualification.number,
            "valid_from": change.valid_from,
            "valid_until": change.valid_until,
            "certificate": change.certificate,
        }
        before = {f: _plain_value(getattr(qualification, f)) for f in fields}
        for name, value in fields.items():
            setattr(qualification, name, value)
        qualification.save(update_fields=list(fields))
        return before, {f: _plain_value(v) for f, v in fields.items()}
    if change.kind == ChangeKind.WITHDRAW:
        qualification.withdrawn_at = at
        qualification.save(update_fields=["withdrawn_at"])
        return {"withdrawn_at": None}, {"withdrawn_at": at.isoformat()}
    retired = list(change.retired_lines.filter(withdrawn_at__isnull=True))
    ScopeLine.objects.filter(pk__in=[line.pk for line in retired]).update(withdrawn_at=at)
    _add_lines(change, qualification)
    return (
        {"retired": [str(line) for line in retired]},
        {"added": [f"{line['object']} {line['parameter']}".strip() for line in change.new_lines]},
    )


def _add_lines(change: QualificationChange, qualification: Qualification | None) -> None:
    ScopeLine.objects.bulk_create(
        ScopeLine(organisation_id=change.organisation_id, qualification=qualification, **line)
        for line in change.new_lines
    )


def _plain_value(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Document):
        return value.pk
    return value


def _follow_listing(organisation: Organisation, *, by: User, change: QualificationChange) -> None:
    """After an approval: relist a hidden institution that holds a valid qualification again
    (not one that reported its closure); hide a listed one that holds none."""
    institution = Institution.objects.get(pk=organisation.pk)
    if institution.deregistered_at:
        return
    today = timezone.localdate()
    valid = valid_qualifications(institution, today).exists()
    if institution.listing == L.HIDDEN and valid and not closing(institution):
        with LISTING.step(
            institution, "relist_renewed", by=by, note=f"{change.number} {_summary(change)}"
        ) as step:
            step.edit(listed=True)
            notify(
                [step.record.account],
                "资质已更新，机构恢复在检索与推荐中显示",
                _summary(change),
                channels=[Channel.INBOX, Channel.SMS],
                now=step.at,
            )
    elif institution.listing == L.LISTED and not valid:
        with LISTING.step(
            institution,
            "hide_expired",
            by=by,
            note=f"{change.number} 撤回后没有有效资质",
        ) as step:
            step.kind = "hidden_withdrawn"
            step.edit(listed=False)
            notify(
                [step.record.account],
                "机构已没有有效资质，暂不在检索与推荐中显示",
                "新增或延续资质并经审核后恢复显示。",
                channels=[Channel.INBOX, Channel.SMS],
                now=step.at,
            )


def return_change(
    change: QualificationChange, *, by: User, reason: str, version: int | None = None
) -> QualificationChange:
    reason = reason.strip()
    if not reason:
        raise WorkflowError("退回原因：必须填写")
    with CHANGES.step(change, "return", by=by, note=reason, version=version) as step:
        step.set(decided_at=step.at, decided_by=by, decision_note=reason)
        _tell(step.record.organisation, f"资质变更申请 {change.number} 被退回", reason, step.at)
    return step.record


def withdraw_request(
    change: QualificationChange, *, by: User, note: str = "", version: int | None = None
) -> QualificationChange:
    with CHANGES.step(
        change, "withdraw_request", by=by, note=note.strip(), version=version
    ) as step:
        pass
    return step.record


def _tell(organisation: Organisation, subject: str, note: str, at: dt.datetime) -> None:
    notify([organisation.account], subject, note, channels=[Channel.INBOX, Channel.SMS], now=at)


def qualified_for(organisation: Organisation, category: str, today: dt.date | None = None) -> bool:
    """May the institution take work of this category now (MATCH-3): a category that needs a
    qualification needs a line of it under a qualification valid today."""
    today = today or timezone.localdate()
    lines = ScopeLine.objects.valid_on(today).filter(organisation=organisation, category=category)
    if needs_qualification(category):
        lines = lines.filter(qualification__isnull=False)
    return lines.exists()
