"""Registration and review (ACC-1…6) and change reports (ACC-7), on the one workflow mechanism
(`qihub.core.workflow`, ADR 0009): the tables below say who may take which move from which status
and which clocks it starts or stops; each function is the body of one step (its fields, checks
and notifications), which appends exactly one event in the same transaction.
"""

import datetime as dt
from typing import Any

import rules
from django.db import transaction

from qihub.accounts.legal import record_consent
from qihub.accounts.models import (
    Document,
    DocumentKind,
    MemberKind,
    Organisation,
    PersonIdentity,
    Role,
    User,
)
from qihub.accounts.roles import anyone, is_decider
from qihub.accounts.uploads import HeldFiles, UploadBatch, upload_batch
from qihub.core import pii
from qihub.core.workflow import Workflow, WorkflowError, move
from qihub.deadlines import workflow as clocks
from qihub.institutions.index import reindex
from qihub.institutions.models import OrganisationEvent, Qualification, ScopeLine
from qihub.notifications.models import Channel
from qihub.notifications.outbox import notify
from qihub.onboarding import mobile as mobile_codes
from qihub.onboarding.forms import ROLE_OF_KIND, AccountForm
from qihub.onboarding.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    ChangeReport,
    ChangeReportEvent,
    ChangeStatus,
)
from qihub.workcal.calendar import TZ

S = ApplicationStatus
REVIEW_CLOCK = "account_review"


@rules.predicate
def is_applicant(user: User, application: Application | None) -> bool:
    return application is not None and user.pk == application.applicant_id


FLOW: Workflow[Application] = Workflow(
    Application,
    events=ApplicationEvent,
    subject="application",
    stale="该注册申请已被他人处理，请刷新页面查看最新状态后再操作",
    moves=[
        # Whoever registers is not yet a user when the step starts: the body names the new
        # account as the actor once it exists.
        move(
            "submit",
            "提交注册申请",
            anyone,
            {None},
            S.SUBMITTED,
            starts=(REVIEW_CLOCK,),
            event="submitted",
        ),
        move(
            "return",
            "退回补正",
            is_decider,
            {S.SUBMITTED},
            S.RETURNED,
            stops=(REVIEW_CLOCK,),
            event="returned",
            refusal="只有平台运营人员可以审核注册申请",
        ),
        move(
            "resubmit",
            "提交补正材料",
            is_applicant,
            {S.RETURNED},
            S.SUBMITTED,
            starts=(REVIEW_CLOCK,),
            event="resubmitted",
            refusal="只有申请人本人可以提交补正材料",
        ),
        move(
            "approve",
            "审核通过",
            is_decider,
            {S.SUBMITTED},
            S.APPROVED,
            stops=(REVIEW_CLOCK,),
            event="approved",
            refusal="只有平台运营人员可以审核注册申请",
        ),
        move(
            "reject",
            "不予通过",
            is_decider,
            {S.SUBMITTED},
            S.REJECTED,
            stops=(REVIEW_CLOCK,),
            event="rejected",
            refusal="只有平台运营人员可以审核注册申请",
        ),
    ],
)


def _operators() -> list[User]:
    return list(User.objects.filter(role=Role.OPERATOR, is_active=True))


def register(
    form: AccountForm, *, held: HeldFiles | None = None, ip: str | None = None
) -> Application:
    """Create the account, identity or organisation, materials and the application at once.
    Files are written first and removed again if anything up to the commit fails; files held
    from a refused submission (`held`) become the application's materials."""
    with upload_batch() as batch, transaction.atomic():
        application = _register(form, batch, held, ip)
    if held is not None:
        held.discard()
    return application


def _material(batch: UploadBatch, held: HeldFiles | None, form: AccountForm, field: str) -> dict:
    """A material's Document fields: the file uploaded now, else the one held for the field."""
    upload = form.cleaned_data.get(field)
    if upload:
        return batch.store(upload)
    fields = held.take(field) if held is not None else None
    if fields is None:  # the form let it through only because it was held: it must still be
        raise WorkflowError(f"{form.fields[field].label}：请重新上传此项材料")
    return fields


def _register(
    form: AccountForm, batch: UploadBatch, held: HeldFiles | None, ip: str | None
) -> Application:
    data = form.cleaned_data
    with FLOW.create("submit", by=None, note="手机号码已通过短信验证码确认") as step:
        now = step.at
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
        step.by = user
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
            applicant=user, kind=form.kind, status=step.target, submitted_at=now
        )
        step.record = application
        documents = {
            field: Document.objects.create(
                owner=user, kind=kind, **_material(batch, held, form, field)
            )
            for field, kind in form.materials.items()
        }
        application.documents.set(documents.values())
        record_consent(user, at=now, ip=ip)
        if form.kind == MemberKind.INSTITUTION and organisation is not None:
            qualifications = [
                Qualification.objects.create(
                    organisation=organisation,
                    type=q["type"],
                    number=q["number"],
                    issuer=q["issuer"],
                    valid_from=q["valid_from"],
                    valid_until=q["valid_until"],
                    scope=q["scope"],
                    certificate=documents[q["certificate_field"]],
                )
                for q in data["qualifications"]
            ]
            ScopeLine.objects.bulk_create(
                ScopeLine(organisation=organisation, qualification=qualifications[index], **line)
                for index, line in form.scope_by_qualification()
            )
        mobile_codes.consume(data["mobile_challenge"])
        notify([user], "注册申请已提交", "平台将在 3 个工作日内告知审核结果。", now=now)
        notify(
            _operators(),
            f"新的{application.get_kind_display()}注册申请待审核",
            f"{application.subject_name}，请在 3 个工作日内审核。",
            now=now,
        )
    return application


def return_for_supplement(
    application: Application, *, by: User, returned_items: list[dict], note: str = ""
) -> Application:
    """Return the application with one reason per material; the review clock stops."""
    if not returned_items:
        raise WorkflowError("退回原因：请至少为一项材料填写退回原因")
    with FLOW.step(application, "return", by=by, note=note.strip()) as step:
        step.set(decided_at=step.at)
        step.event_fields["returned_items"] = returned_items
        reasons = "；".join(f"{item['label']}：{item['reason']}" for item in returned_items)
        notify(
            [step.record.applicant],
            "注册申请需要补正材料",
            f"{reasons}。{note.strip()}".strip("。") + "。",
            channels=[Channel.INBOX, Channel.SMS],
            now=step.at,
        )
    return step.record


def resubmit(
    application: Application, *, by: User, replacements: dict[str, Any], note: str = ""
) -> Application:
    """The applicant supplies new files for the returned materials; a new 3-day clock starts."""
    with upload_batch() as batch, transaction.atomic():
        return _resubmit(application, by, replacements, note, batch)


def _resubmit(
    application: Application, by: User, replacements: dict[str, Any], note: str, batch: UploadBatch
) -> Application:
    with FLOW.step(application, "resubmit", by=by, note=note.strip()) as step:
        record = step.record
        returned = record.events.filter(kind="returned").last()
        wanted = {item["item"] for item in returned.returned_items} if returned else set()
        missing = wanted - {kind for kind, upload in replacements.items() if upload}
        if missing:
            labels = "、".join(i["label"] for i in returned.returned_items if i["item"] in missing)
            raise WorkflowError(f"补正材料：请上传{labels}")
        step.set(round=record.round + 1, submitted_at=step.at, decided_at=None)
        for kind, upload in replacements.items():
            record.documents.filter(kind=kind).update(superseded=True)
            document = Document.objects.create(
                owner=record.applicant, kind=kind, **batch.store(upload)
            )
            record.documents.add(document)
        notify(
            _operators(),
            "注册申请已补正，待重新审核",
            f"{record.subject_name}（第 {record.round} 次提交）",
            now=step.at,
        )
    return step.record


def approve(application: Application, *, by: User, note: str = "") -> Application:
    with FLOW.step(application, "approve", by=by, note=note.strip()) as step:
        step.set(decided_at=step.at)
        applicant = step.record.applicant
        applicant.verified_at = step.at
        applicant.save(update_fields=["verified_at"])
        if hasattr(applicant, "organisation"):
            reindex(applicant.organisation)  # now verified: offered in search (MATCH-1)
        notify(
            [applicant],
            "注册申请已审核通过",
            "欢迎使用质量基础设施一站式服务平台。",
            channels=[Channel.INBOX, Channel.SMS],
            now=step.at,
        )
    return step.record


def reject(application: Application, *, by: User, reason: str) -> Application:
    """Refuse the application outright (不予通过): the account stays unverified."""
    reason = reason.strip()
    if not reason:
        raise WorkflowError("不予通过原因：必须填写")
    with FLOW.step(application, "reject", by=by, note=reason) as step:
        step.set(decided_at=step.at)
        notify(
            [step.record.applicant],
            "注册申请不予通过",
            f"原因：{reason}",
            channels=[Channel.INBOX, Channel.SMS],
            now=step.at,
        )
    return step.record


# --- change reports (ACC-7) ---------------------------------------------------------------
C = ChangeStatus
CHANGE_CLOCK = "change_report"
CHANGE_LABELS = {"name": "名称", "address": "住所", "legal_representative": "法定代表人"}


@rules.predicate
def is_reporting_member(user: User, report: ChangeReport | None) -> bool:
    """The member whose own organisation the report is (or will be) about."""
    if report is None:
        return Organisation.objects.filter(account_id=user.pk).exists()
    return report.organisation.account_id == user.pk


CHANGE_FLOW: Workflow[ChangeReport] = Workflow(
    ChangeReport,
    events=ChangeReportEvent,
    subject="report",
    stale="该变更报备已被他人处理，请刷新页面查看最新状态后再操作",
    moves=[
        move(
            "report",
            "报备变更",
            is_reporting_member,
            {None},
            C.SUBMITTED,
            event="reported",
            refusal="只有企业或机构本身可以报备变更",
        ),
        move(
            "approve",
            "审核通过",
            is_decider,
            {C.SUBMITTED},
            C.APPROVED,
            event="approved",
            refusal="只有平台运营人员可以审核变更报备",
        ),
        move(
            "return",
            "退回",
            is_decider,
            {C.SUBMITTED},
            C.RETURNED,
            event="returned",
            refusal="只有平台运营人员可以审核变更报备",
        ),
    ],
)


def report_change(organisation: Organisation, form: Any, *, by: User) -> ChangeReport:
    """Record the change with its documents. The 1-month clock runs from the change date, not
    from the step, and stops now, so a late report is visible as such; it is therefore moved
    here rather than declared in the table."""
    with upload_batch() as batch, transaction.atomic():
        data = form.cleaned_data
        with CHANGE_FLOW.create("report", by=by) as step:
            now = step.at
            started = dt.datetime.combine(data["change_date"], dt.time(0), tzinfo=TZ)
            report = ChangeReport.objects.create(
                organisation=organisation,
                change_date=data["change_date"],
                new_name=data["new_name"],
                new_address=data["new_address"],
                new_legal_representative=data["new_legal_representative"],
                status=step.target,
                submitted_at=now,
            )
            step.record = report
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
            step.after = {field: value for field, value in report.changes().items()}
            step.note = "超过 1 个月报备" if report.reported_late else ""
            notify(
                _operators(),
                f"变更报备待审核：{organisation.name}",
                "（超过 1 个月报备）" if report.reported_late else "",
                now=now,
            )
        return report


def approve_change(report: ChangeReport, *, by: User, note: str = "") -> ChangeReport:
    """Apply the reported values to the organisation; the old values stay in the report, in its
    event (before/after) and in the organisation's history."""
    note = note.strip()
    with CHANGE_FLOW.step(report, "approve", by=by, note=note) as step:
        report = step.record
        organisation = Organisation.objects.select_for_update().get(pk=report.organisation_id)
        changes = report.changes()
        old_values = {field: getattr(organisation, field) for field in changes}
        step.before, step.after = dict(old_values), dict(changes)
        for field, value in changes.items():
            setattr(organisation, field, value)
        organisation.save(update_fields=list(changes))
        reindex(organisation)
        summary = "；".join(
            f"{CHANGE_LABELS[f]}：{old_values[f]} → {v}" for f, v in changes.items()
        )
        OrganisationEvent.objects.create(
            organisation=organisation,
            kind="changed",
            at=step.at,
            by=by,
            note=summary,
            before=old_values,
            after=changes,
        )
        step.set(old_values=old_values, decided_at=step.at, decided_by=by, note=note)
        _tell_member(organisation, "变更报备已审核通过", note, step.at)
    return step.record


def return_change(report: ChangeReport, *, by: User, note: str) -> ChangeReport:
    note = note.strip()
    if not note:
        raise WorkflowError("审核意见：退回变更报备时必须填写原因")
    with CHANGE_FLOW.step(report, "return", by=by, note=note) as step:
        step.set(decided_at=step.at, decided_by=by, note=note)
        _tell_member(step.record.organisation, "变更报备被退回", note, step.at)
    return step.record


def decide_change(report: ChangeReport, *, by: User, approve: bool, note: str = "") -> ChangeReport:
    """One entry for the review page's two buttons."""
    if approve:
        return approve_change(report, by=by, note=note)
    return return_change(report, by=by, note=note)


def _tell_member(organisation: Organisation, subject: str, note: str, at: dt.datetime) -> None:
    notify([organisation.account], subject, note, channels=[Channel.INBOX, Channel.SMS], now=at)
