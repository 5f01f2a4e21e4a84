"""Registration and review (ACC-1…6): the only code that changes an application's status.

Every step is atomic, appends an ApplicationEvent, moves the 3-working-day review clock and
notifies the applicant (or the operators) in the same transaction.
"""

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from qihub.accounts.models import (
    Document,
    DocumentKind,
    MemberKind,
    Organisation,
    PersonIdentity,
    Role,
    User,
)
from qihub.accounts.uploads import UploadBatch, upload_batch
from qihub.core import pii
from qihub.deadlines import workflow as clocks
from qihub.deadlines.models import Clock, ClockState
from qihub.institutions.models import OrganisationEvent, Qualification, ScopeLine
from qihub.institutions.search import reindex
from qihub.notifications.models import Channel
from qihub.notifications.outbox import notify
from qihub.onboarding import mobile as mobile_codes
from qihub.onboarding.forms import ROLE_OF_KIND, AccountForm
from qihub.onboarding.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    ChangeReport,
    ChangeStatus,
)
from qihub.workcal.calendar import TZ

S = ApplicationStatus
# The transition table: (from, action) → to.
TRANSITIONS: dict[tuple[str | None, str], str] = {
    (None, "submit"): S.SUBMITTED,
    (S.SUBMITTED, "return"): S.RETURNED,
    (S.RETURNED, "resubmit"): S.SUBMITTED,
    (S.SUBMITTED, "approve"): S.APPROVED,
}
REVIEW_CLOCK = "account_review"


class TransitionError(Exception):
    pass


def _move(application: Application | None, action: str) -> str:
    current = application.status if application else None
    target = TRANSITIONS.get((current, action))
    if target is None:
        label = ApplicationStatus(current).label if current else "新申请"
        raise TransitionError(f"当前状态（{label}）不能执行此操作")
    return target


def _operators() -> list[User]:
    return list(User.objects.filter(role=Role.OPERATOR, is_active=True))


def _review_clock(application: Application) -> Clock | None:
    return (
        Clock.objects.filter(
            code=REVIEW_CLOCK,
            content_type=ContentType.objects.get_for_model(Application),
            object_id=str(application.pk),
        )
        .exclude(state=ClockState.STOPPED)
        .first()
    )


def _event(application: Application, kind: str, at: dt.datetime, **fields: Any) -> None:
    ApplicationEvent.objects.create(application=application, kind=kind, at=at, **fields)


def register(form: AccountForm) -> Application:
    """Create the account, identity or organisation, materials and the application at once.
    Files are written first and removed again if anything up to the commit fails."""
    with upload_batch() as batch, transaction.atomic():
        return _register(form, batch)


def _register(form: AccountForm, batch: UploadBatch) -> Application:
    data = form.cleaned_data
    target = _move(None, "submit")
    now = timezone.now()
    mobile = pii.seal(data["mobile"], keep_start=3, keep_end=4)
    user = User.objects.create_user(
        username=data["username"],
        password=data["password"],
        email=data.get("email", ""),
        role=ROLE_OF_KIND[form.kind],
        display_name=data.get("display_name", ""),
        mobile_cipher=mobile.cipher,
        mobile_digest=mobile.digest,
        mobile_masked=mobile.masked,
    )
    organisation = None
    if form.kind == MemberKind.INDIVIDUAL:
        sealed = pii.seal(data["id_number"])
        PersonIdentity.objects.create(
            account=user,
            real_name=data["real_name"],
            id_number_cipher=sealed.cipher,
            id_number_digest=sealed.digest,
            id_number_masked=sealed.masked,
        )
    else:
        organisation = Organisation.objects.create(
            account=user,
            kind=form.kind,
            name=data["name"],
            uscc=data["uscc"],
            address=data["address"],
            legal_representative=data["legal_representative"],
            contact_name=data["contact_name"],
            region=data.get("region", ""),
        )
    application = Application.objects.create(
        applicant=user, kind=form.kind, status=target, submitted_at=now
    )
    documents = {
        field: Document.objects.create(owner=user, kind=kind, **batch.store(data[field]))
        for field, kind in form.materials.items()
    }
    application.documents.set(documents.values())
    if form.kind == MemberKind.INSTITUTION and organisation is not None:
        Qualification.objects.create(
            organisation=organisation,
            type=data["qualification_type"],
            number=data["qualification_number"],
            issuer=data["qualification_issuer"],
            valid_from=data["valid_from"],
            valid_until=data["valid_until"],
            scope=data["qualification_scope"],
            certificate=documents["qualification_certificate"],
        )
        ScopeLine.objects.bulk_create(
            ScopeLine(organisation=organisation, **line) for line in data["scope_lines"]
        )
    mobile_codes.consume(data["mobile_challenge"])
    _event(application, "submitted", now, by=user, note="手机号码已通过短信验证码确认")
    clocks.start_clock(REVIEW_CLOCK, application, at=now)
    notify([user], "注册申请已提交", "平台将在 3 个工作日内告知审核结果。", now=now)
    notify(
        _operators(),
        f"新的{application.get_kind_display()}注册申请待审核",
        f"{application.subject_name}，请在 3 个工作日内审核。",
        now=now,
    )
    return application


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


@transaction.atomic
def return_for_supplement(
    application: Application, *, by: User, returned_items: list[dict], note: str = ""
) -> Application:
    application = _locked(application)
    application.status = _move(application, "return")
    now = timezone.now()
    application.decided_at = now
    application.save(update_fields=["status", "decided_at"])
    clock = _review_clock(application)
    if clock:
        clocks.stop_clock(clock, by=by, at=now, note="退回补正")
    _event(application, "returned", now, by=by, note=note, returned_items=returned_items)
    reasons = "；".join(f"{item['label']}：{item['reason']}" for item in returned_items)
    notify(
        [application.applicant],
        "注册申请需要补正材料",
        f"{reasons}。{note}".strip("。") + "。",
        channels=[Channel.INBOX, Channel.SMS],
        now=now,
    )
    return application


def resubmit(
    application: Application, *, by: User, replacements: dict[str, Any], note: str = ""
) -> Application:
    """The applicant supplies new files for the returned materials; a new 3-day clock starts."""
    with upload_batch() as batch, transaction.atomic():
        return _resubmit(application, by, replacements, note, batch)


def _resubmit(
    application: Application, by: User, replacements: dict[str, Any], note: str, batch: UploadBatch
) -> Application:
    application = _locked(application)
    application.status = _move(application, "resubmit")
    now = timezone.now()
    application.round += 1
    application.submitted_at = now
    application.decided_at = None
    application.save(update_fields=["status", "round", "submitted_at", "decided_at"])
    with upload_batch() as batch:
        for kind, upload in replacements.items():
            application.documents.filter(kind=kind).update(superseded=True)
            document = Document.objects.create(
                owner=application.applicant, kind=kind, **batch.store(upload)
            )
            application.documents.add(document)
    _event(application, "resubmitted", now, by=by, note=note)
    clocks.start_clock(REVIEW_CLOCK, application, at=now)
    notify(
        _operators(),
        "注册申请已补正，待重新审核",
        f"{application.subject_name}（第 {application.round} 次提交）",
        now=now,
    )
    return application


@transaction.atomic
def approve(application: Application, *, by: User, note: str = "") -> Application:
    application = _locked(application)
    application.status = _move(application, "approve")
    now = timezone.now()
    application.decided_at = now
    application.save(update_fields=["status", "decided_at"])
    applicant = application.applicant
    applicant.verified_at = now
    applicant.save(update_fields=["verified_at"])
    if hasattr(applicant, "organisation"):
        reindex(applicant.organisation)  # now verified: offered in search (MATCH-1)
    clock = _review_clock(application)
    if clock:
        clocks.stop_clock(clock, by=by, at=now, note="审核通过")
    _event(application, "approved", now, by=by, note=note)
    notify(
        [applicant],
        "注册申请已审核通过",
        "欢迎使用质量基础设施一站式服务平台。",
        channels=[Channel.INBOX, Channel.SMS],
        now=now,
    )
    return application


CHANGE_CLOCK = "change_report"
CHANGE_LABELS = {"name": "名称", "address": "住所", "legal_representative": "法定代表人"}


def report_change(organisation: Organisation, form: Any, *, by: User) -> ChangeReport:
    """Record the change with its documents; the 1-month clock runs from the change date and
    stops now, so a late report is visible as such."""
    with upload_batch() as batch, transaction.atomic():
        data = form.cleaned_data
        now = timezone.now()
        started = dt.datetime.combine(data["change_date"], dt.time(0), tzinfo=TZ)
        report = ChangeReport.objects.create(
            organisation=organisation,
            change_date=data["change_date"],
            new_name=data["new_name"],
            new_address=data["new_address"],
            new_legal_representative=data["new_legal_representative"],
            status=ChangeStatus.SUBMITTED,
            submitted_at=now,
        )
        for field, kind in (
            ("business_licence", DocumentKind.BUSINESS_LICENCE),
            ("supporting", DocumentKind.SUPPORTING),
        ):
            report.documents.add(
                Document.objects.create(owner=by, kind=kind, **batch.store(data[field]))
            )
        clock = clocks.start_clock(CHANGE_CLOCK, report, owner=by, at=started)
        report.reported_late = now > clock.due_at
        report.save(update_fields=["reported_late"])
        clocks.stop_clock(clock, by=by, at=now, note="已报备")
        notify(
            _operators(),
            f"变更报备待审核：{organisation.name}",
            "（超过 1 个月报备）" if report.reported_late else "",
            now=now,
        )
        return report


@transaction.atomic
def decide_change(report: ChangeReport, *, by: User, approve: bool, note: str = "") -> ChangeReport:
    report = ChangeReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ChangeStatus.SUBMITTED:
        raise TransitionError("该变更报备已审核")
    if not approve and not note.strip():
        raise TransitionError("退回变更报备：请填写原因")
    now = timezone.now()
    organisation = Organisation.objects.select_for_update().get(pk=report.organisation_id)
    if approve:
        changes = report.changes()
        # Old values stay in the report and in the organisation's history; the profile moves on.
        report.old_values = {field: getattr(organisation, field) for field in changes}
        for field, value in changes.items():
            setattr(organisation, field, value)
        organisation.save(update_fields=list(changes))
        reindex(organisation)
        summary = "；".join(
            f"{CHANGE_LABELS[f]}：{report.old_values[f]} → {v}" for f, v in changes.items()
        )
        OrganisationEvent.objects.create(
            organisation=organisation, kind="changed", at=now, by=by, note=summary
        )
    report.status = ChangeStatus.APPROVED if approve else ChangeStatus.RETURNED
    report.decided_at, report.decided_by, report.note = now, by, note.strip()
    report.save(update_fields=["status", "old_values", "decided_at", "decided_by", "note"])
    subject = "变更报备已审核通过" if approve else "变更报备被退回"
    notify(
        [organisation.account],
        subject,
        note.strip(),
        channels=[Channel.INBOX, Channel.SMS],
        now=now,
    )
    return report
