"""Page ↔ API parity (ADR 0009): every action of every `ActionTable`, taken by every persona on
their own record and on someone else's, reaches the same decision through the page and the API.

The tables are found, not listed: every installed app's `actions` module is imported, and each
`ActionTable` it builds lands in `qihub.core.actions.TABLES`. A table whose model has no scenario
builder below fails loudly, so a new workflow app cannot slip past this test.
"""

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.contrib.messages import constants, get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import resolve, reverse
from django.utils import timezone

from conftest import ALL_PERSONAS, PERSONAS
from qihub.accounts.models import Organisation, Role, User
from qihub.accounts.roles import (
    ALL_STAFF,
    CLIENTS,
    DECIDERS,
    HANDLERS,
    INSTITUTIONS,
    STATION_STAFF,
)
from qihub.agency.models import Entrustment
from qihub.archive.models import AccessGrant
from qihub.biomed.models import ProductArchive
from qihub.bookings.models import Booking
from qihub.bulletins.models import DefectReport
from qihub.catalog.models import Notice
from qihub.clinic.models import Consultation
from qihub.complaints.models import Complaint, ComplaintStatus, Opinion, OpinionChannel
from qihub.core import testing
from qihub.core.actions import TABLES, Action, ActionTable
from qihub.deadlines.models import ClockState
from qihub.deadlines.queries import clocks_for
from qihub.demands.models import Demand, DemandStatus, RecommendedInstitution
from qihub.diagnosis.models import Problem, ShowcaseEntry
from qihub.evaluations.models import Rectification, RectificationStatus
from qihub.filing.models import ArchiveItem
from qihub.finance.models import Referral
from qihub.flows.models import FlowRun
from qihub.guidance.models import Declaration
from qihub.improvement.models import ImprovementPlan, PlanAction
from qihub.institutions.models import QualificationChange
from qihub.onboarding.models import Application, ApplicationStatus
from qihub.orders.models import Order, OrderStatus
from qihub.packages.models import Package
from qihub.pooling.models import Batch
from qihub.samples.models import Sample, SampleStatus
from qihub.support.models import SupportRequest
from qihub.training.models import Enrolment
from qihub.workstation.models import KeyProject


def _discover() -> list[ActionTable]:
    for config in apps.get_app_configs():
        name = f"{config.name}.actions"
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # the module exists but is broken: that is a failure
                raise
    seen: dict[int, ActionTable] = {id(t): t for t in TABLES}
    return list(seen.values())


TABLES_FOUND = _discover()
# Decisions do not depend on the database; `make test` walks them once, on PostgreSQL.
pytestmark = pytest.mark.one_pass


# --- scenarios: a record in a status where the action is legal -----------------------------
# A builder takes (action, whose record it is, every persona's user) and returns a fresh record.
# "Whose" is the acting persona for "own" and a stranger for "other"; the builder attaches that
# user in whatever capacity their role can have (client, first responsible, shortlisted lab).
Builder = Callable[[str, User, dict[str, User | None]], Any]


@dataclass(frozen=True)
class Scenario:
    build: Builder
    owner: str  # the persona that owns records of this model when the actor is not one


def _lab(user: User) -> Any:
    """The institution behind an institution persona, created once and listed."""
    org = Organisation.objects.filter(account=user).first()
    if org is None:
        user.verified_at = user.verified_at or timezone.now()
        user.save(update_fields=["verified_at"])
        org = testing.institution(f"{user.username} 检测所", account=user)
    return org


def build_demand(action: str, whose: User, users: dict[str, User | None]) -> Demand:
    if action == "claim":
        # Entered by phone for a caller without an account whose mobile is `whose`'s.
        record = testing.demand(users["enterprise"], channel="phone", entered_by=users["operator"])
        Demand.objects.filter(pk=record.pk).update(client=None, caller=testing.caller_of(whose))
        record.refresh_from_db()
        return record
    client = whose if whose.role in CLIENTS else users["enterprise"]
    responsible = whose if whose.role in HANDLERS else users["operator"]
    status = DemandStatus.PUBLISHED if action == "respond" else DemandStatus.RESPONDED
    sent = whose.role in INSTITUTIONS and action != "respond"
    if sent:
        status = DemandStatus.RECOMMENDED
    shortlist = [_lab(users["institution"]), _lab(users["other_institution"])]
    record = testing.demand(
        client,
        status=status,
        responsible=None if status == DemandStatus.PUBLISHED else responsible,
        shortlist=shortlist,
    )
    if sent:
        # An institution's own demand is one whose shortlist was sent to it; the others' is not.
        RecommendedInstitution.objects.filter(recommendation__demand=record).exclude(
            organisation=_lab(whose)
        ).update(included=False)
        record.recommendation.sent_at = timezone.now()
        record.recommendation.save(update_fields=["sent_at"])
    return record


def _bystander_lab() -> Any:
    """An institution none of the personas runs: the one on records no institution persona owns."""
    return _lab(testing.VerifiedUserFactory(username="parity_lab", role=Role.INSTITUTION))


def _client(whose: User, users: dict[str, User | None]) -> User:
    return whose if whose.role in CLIENTS else users["enterprise"]


def _institution(whose: User) -> Any:
    return _lab(whose) if whose.role in INSTITUTIONS else _bystander_lab()


ORDER_STATUS = {
    "confirm": OrderStatus.PLACED,
    "accept": OrderStatus.QUOTED,
    "refuse": OrderStatus.PLACED,
    "cancel": OrderStatus.QUOTED,
    "progress": OrderStatus.ACCEPTED,
    "complete": OrderStatus.ACCEPTED,
    "issue_report": OrderStatus.ACCEPTED,
    "collection": OrderStatus.COMPLETED,
    # In service: the flag switches the running service clock (DEM-14).
    "urgent": OrderStatus.ACCEPTED,
    "unurgent": OrderStatus.ACCEPTED,
}


def build_order(action: str, whose: User, users: dict[str, User | None]) -> Order:
    """The client's order for a client, the order placed with their lab for an institution."""
    return testing.order_in(
        ORDER_STATUS[action], _client(whose, users), institution_org=_institution(whose)
    )


COMPLAINT_STATUS = {
    "findings": ComplaintStatus.ACCEPTED,
    "forward": ComplaintStatus.ACCEPTED,
    "respond": ComplaintStatus.FORWARDED,
    "decide": ComplaintStatus.RESPONDED,
    "feedback": ComplaintStatus.DECIDED,
    "rate": ComplaintStatus.CLOSED,
    "pause": ComplaintStatus.ACCEPTED,
    "resume": ComplaintStatus.ACCEPTED,
}


def build_complaint(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """The complainant's complaint for a client, the complaint about their lab for an
    institution (forwarded to it from `respond` on); `resume` finds the clock paused."""
    if action == "claim":
        # Taken by phone for a caller without an account whose mobile is `whose`'s.
        record = testing.complaint(users["enterprise"], against=_institution(whose))
        type(record).objects.filter(pk=record.pk).update(
            complainant=None, caller=testing.caller_of(whose), channel="phone"
        )
        record.refresh_from_db()
        return record
    return testing.complaint(
        _client(whose, users),
        status=COMPLAINT_STATUS[action],
        against=_institution(whose),
        paused=action == "resume",
    )


def build_opinion(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """Signed in from the suggestion box, or taken on the hotline by a decider."""
    if whose.role in DECIDERS:
        return testing.opinion(None, channel=OpinionChannel.HOTLINE, recorded_by=whose)
    return testing.opinion(whose)


RECTIFICATION_STATUS = {
    "plan": RectificationStatus.OPEN,
    "actions": RectificationStatus.PLANNED,
    "verify": RectificationStatus.ACTED,
}


def build_rectification(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """Addressed to an institution persona's lab, or to a station staff persona's station."""
    status, by = RECTIFICATION_STATUS[action], users["operator"]
    if whose.role in STATION_STAFF:
        whose.station = testing.station()
        whose.save(update_fields=["station"])
        return testing.rectification(status=status, at_station=whose.station, opened_by=by)
    return testing.rectification(status=status, institution_org=_institution(whose), opened_by=by)


def build_application(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """The applicant's own registration (their account unverified until approved)."""
    applicant = whose if whose.role in CLIENTS | INSTITUTIONS else users["enterprise"]
    status = ApplicationStatus.RETURNED if action == "resubmit" else ApplicationStatus.SUBMITTED
    return testing.application(applicant, status=status, reviewer=users["operator"])


def build_qualification_change(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """A pending renewal by the institution persona's lab, or by a lab no persona runs."""
    return testing.qualification_change(_institution(whose))


def build_notice(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """A published notice: it belongs to the platform, not to a persona, so "own" and "other"
    are the same notice for everyone."""
    from qihub.catalog import workflow

    return workflow.publish(by=users["operator"], title="春节期间服务安排", body="正常受理")


SAMPLE_STATUS = {
    "receive": SampleStatus.REGISTERED,
    "refuse": SampleStatus.REGISTERED,
    "dispatch": SampleStatus.RECEIVED,
    "new_code": SampleStatus.IN_TRANSIT,
    "accept": SampleStatus.IN_TRANSIT,
    "reject": SampleStatus.IN_TRANSIT,
    "hand_out": SampleStatus.AT_INSTITUTION,
}
SAMPLE_CODE = "ABCD2345"


def build_sample(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """The client's sample for a client, the sample sent to their lab for an institution, the
    sample brought to their station for station staff (a bystander station otherwise)."""
    from qihub.samples import workflow as samples

    status = OrderStatus.COMPLETED if action == "hand_out" else OrderStatus.ACCEPTED
    order = testing.order_in(status, _client(whose, users), institution_org=_institution(whose))
    station = whose.station if whose.role in STATION_STAFF else testing.station("旁观服务站")
    record = testing.sample(order, station=station, status=SAMPLE_STATUS[action])
    if record.status == SampleStatus.IN_TRANSIT:
        record.code_hash = samples._digest(record, SAMPLE_CODE)
        record.code_expires_at = timezone.now() + samples.CODE_LIFETIME
        record.save(update_fields=["code_hash", "code_expires_at"])
    return record


BOOKING_STATUS = {
    "approve": "requested",
    "cancel": "confirmed",
    "check_in": "confirmed",
    "no_show": "confirmed",
    "finish": "checked_in",
    "adjust": "requested",
    "refuse": "requested",
    "lift": "no_show",
}


def build_booking(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """The client's booking for a client, a booking of their station's window for station staff,
    of their appointment service for an institution (a bystander station's window otherwise)."""
    from qihub.bookings.models import Booking, Resource, ResourceKind
    from qihub.bookings.services import station_window

    if whose.role in STATION_STAFF:
        resource = station_window(whose.station)
    elif whose.role in INSTITUTIONS:
        resource = Resource.objects.get_or_create(
            organisation=_lab(whose),
            kind=ResourceKind.INSTITUTION,
            defaults={"name": "预约服务"},
        )[0]
    else:
        resource = station_window(testing.station("旁观服务站"))
    # Each record its own future hour, so no two active bookings of one resource overlap.
    n = Booking.objects.count()
    # A no-show is recorded (and lifted) after the start; every other action before it.
    ahead = dt.timedelta(days=1, hours=n)
    start = timezone.now() + (-ahead if action in ("no_show", "lift") else ahead)
    return Booking.objects.create(
        number=f"YY-P{n:05d}",
        resource=resource,
        user=_client(whose, users),
        start=start,
        end=start + dt.timedelta(minutes=30),
        purpose="consult",
        status=BOOKING_STATUS[action],
    )


DECLARATION_STATUS = {
    "recheck": "preparing",
    "submit": "preparing",
    "review": "submitted",
    "approve": "reviewing",
    "reject": "reviewing",
}


def build_declaration(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """The enterprise's declaration for an open window; another enterprise's for anyone else
    (a declaration belongs to an enterprise; staff follow everyone's)."""
    from qihub.guidance.models import DeclarationWindow

    enterprise = whose if whose.role == Role.ENTERPRISE else users["enterprise"]
    today = timezone.localdate()
    window = DeclarationWindow.objects.create(
        kind="quality_award",
        title="市长质量奖",
        department="市市场监管局",
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=20),
        eligibility="依法设立满三年\n近三年无重大质量事故",
        materials="申报表",
        published_by=users["operator"],
    )
    return Declaration.objects.create(
        number=f"SB-P{Declaration.objects.count():05d}",
        window=window,
        enterprise=enterprise,
        status=DECLARATION_STATUS[action],
    )


def _company(whose: User, users: dict[str, User | None]) -> Organisation:
    """The enterprise persona's company (the enterprise persona's when `whose` is not one)."""
    account = whose if whose.role == Role.ENTERPRISE else users["enterprise"]
    return Organisation.objects.filter(account=account).first() or testing.OrganisationFactory(
        account=account
    )


def build_problem(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """An open problem found at the enterprise's company, recorded by `whose` when they
    diagnose (their own) or by the operator; its follow-up clock runs."""
    from qihub.accounts.roles import DIAGNOSERS
    from qihub.diagnosis import workflow as diagnosis

    by = whose if whose.role in DIAGNOSERS else users["operator"]
    visit = diagnosis.record_visit(
        by=by,
        enterprise=_company(whose, users),
        visited_on=timezone.localdate(),
        kind="5s",
        visitors="张工",
        findings="现场杂乱",
        problems=[],
    )
    due = timezone.localdate() + dt.timedelta(days=20)
    return diagnosis.record_problem(
        visit, by=by, description="物料混放", severity="minor", solution="分区", due_date=due
    )


def build_showcase_entry(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """An entry about the enterprise's company awaiting its consent (published for withdraw)."""
    from qihub.diagnosis import workflow as diagnosis

    company = _company(whose, users)
    entry = diagnosis.propose(
        by=users["operator"],
        kind="enterprise",
        title="质量标杆企业",
        enterprise=company,
        summary="简介",
        year=2025,
        honours="",
    )
    if action == "withdraw_consent":
        entry = diagnosis.decide(entry, "consent", by=company.account, version=entry.version)
    return entry


def build_key_project(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """A key project belongs to the workstation, not to a persona, so "own" and "other" are the
    same project for everyone; it stands where the action is legal (all points met to submit)."""
    from qihub.workstation.models import CHECKLISTS

    submitted = action in ("approve", "reject")
    return KeyProject.objects.create(
        number=f"ZD-P{KeyProject.objects.count():05d}",
        kind="innovation",
        enterprise="示例医疗器械公司",
        product="血管支架",
        status="submitted" if submitted else "preparing",
        met=CHECKLISTS["innovation"] if action == "submit" else [],
        submitted_on=timezone.localdate() if submitted else None,
        submission_number="沪创 1" if submitted else "",
    )


def build_flow_run(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """A running staff-training flow (附录 F) of the enterprise's company, started by `whose`
    when they may start one, else by the operator; its first step is the team's."""
    from qihub.accounts.roles import HANDLERS
    from qihub.flows import workflow as flows
    from qihub.flows.models import FlowTemplate

    by = whose if whose.role in HANDLERS else users["operator"]
    run = flows.start(FlowTemplate.current("F"), by=by, enterprise=_company(whose, users))
    if whose.role not in HANDLERS:
        # Past the team's first step, so the enterprise's own step (报名) is current.
        upload = SimpleUploadedFile("通知.png", testing.png_bytes(), "image/png")
        run = flows.tick(run, by=users["operator"], version=run.version, position=1, upload=upload)
    return run


def _flow_step(record: Any, users: dict[str, User | None]) -> dict:
    """The current step, with the document it expects (the page's tick form offers both)."""
    current = record.current_step()
    return {
        "position": current.position if current else 1,
        "document": SimpleUploadedFile("报名表.png", testing.png_bytes(), "image/png"),
    }


def build_entrustment(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """An entrustment of the client (`whose` when a client, else the enterprise) to the agent
    (`whose` when station staff, else the station staff persona) with every authority: to sign
    (sign_*, withdraw), signed with an open item (steps) or with every item closed (finish)."""
    from qihub.agency.models import Authority, EntrustedItem
    from qihub.catalog.models import ServiceItem

    client = whose if whose.role in CLIENTS else users["enterprise"]
    agent = whose if whose.role in STATION_STAFF else users["station_staff"]
    today = timezone.localdate()
    signing = action in {"sign_online", "sign_paper", "withdraw"}
    entrustment = Entrustment.objects.create(
        number=f"DB-P{Entrustment.objects.count():05d}",
        client=client,
        station=agent.station,
        agent=agent,
        authorities=list(Authority.values),
        period_from=today - dt.timedelta(days=1),
        period_to=today + dt.timedelta(days=30),
        status="signing" if signing else "active",
        created_at=timezone.now(),
    )
    EntrustedItem.objects.create(
        entrustment=entrustment,
        service=ServiceItem.objects.first(),
        task="代为申请",
        closed_at=timezone.now() if action == "finish" else None,
    )
    return entrustment


def _urgent_to_unflag(build: Builder) -> Builder:
    """Only an urgent record can have the flag withdrawn (DEM-14): the builder flags it first."""

    def builder(action: str, whose: User, users: dict[str, User | None]) -> Any:
        record = build(action, whose, users)
        if action == "unurgent":
            type(record).objects.filter(pk=record.pk).update(urgent=True, urgent_reason="测试")
            record.refresh_from_db()
        return record

    return builder


def build_consultation(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """A question of the client persona routed to the expert persona (a bystander expert when
    the actor is not one), moved on to where the action is legal; `assign` gets a question no
    expert of its field exists for, so it waits for an operator."""
    from qihub.clinic import workflow as clinic
    from qihub.clinic.models import Expert

    asker = _client(whose, users)
    expert_user = (
        whose
        if whose.role == Role.EXPERT
        else testing.VerifiedUserFactory(username="parity_expert", role=Role.EXPERT)
    )
    expert = Expert.objects.get_or_create(
        user=expert_user,
        defaults={
            "name": "周专家",
            "title": "高级工程师",
            "fields": ["metrology"],
            "region": "320200",
            "enrolled_by": users["operator"],
        },
    )[0]
    # Only this expert takes questions, so routing and the assign form both lead to them.
    Expert.objects.exclude(pk=expert.pk).update(available=False)
    Expert.objects.filter(pk=expert.pk).update(available=True, max_open=50, fields=["metrology"])
    record = clinic.ask(
        by=asker,
        field="ip" if action == "assign" else "metrology",
        title="电能表检定",
        question="电能表要检定吗",
        region="320211",
    )
    if action == "assign":
        Expert.objects.filter(pk=expert.pk).update(fields=["metrology", "ip"])
    if action == "reply":
        record = clinic.ask_back(record, by=expert.user, version=record.version, text="用途？")
    if action in {"rate", "publish", "to_demand"}:
        record = clinic.answer(
            record, by=expert.user, version=record.version, text="须检定", needs_test=True
        )
    if action == "publish":
        record = clinic.rate(record, by=asker, version=record.version, rating=5, note="")
    return record


def build_archive(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """The enterprise's product archive (another enterprise's for anyone else), with nobody in
    charge yet so station staff serve it; with a dossier awaiting comments or a finding to
    rectify when the action needs one."""
    from qihub.biomed.models import (
        DossierDocument,
        InspectionFinding,
        ProductArchive,
        ReviewStatus,
    )

    enterprise = whose if whose.role == Role.ENTERPRISE else users["enterprise"]
    archive = ProductArchive.objects.create(
        number=f"CP-P{ProductArchive.objects.count():05d}",
        enterprise=enterprise,
        name="一次性使用无菌注射器",
        product_class="device_2",
        route="registration",
        stage="design",
    )
    if action == "comment_review":
        DossierDocument.objects.create(
            archive=archive,
            round=1,
            title="产品技术要求",
            document=testing.document(enterprise),
        )
        archive.review_status, archive.review_round = ReviewStatus.SUBMITTED, 1
        archive.save(update_fields=["review_status", "review_round"])
    if action in ("rectify_finding", "close_finding"):
        InspectionFinding.objects.create(
            archive=archive,
            grade="major",
            description="洁净区压差未记录",
            found_by=users["operator"],
            found_on=timezone.localdate(),
            rectification="已增设记录表" if action == "close_finding" else "",
        )
    return archive


def build_enrolment(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """An enrolment of `whose` (or, when `whose` organises, of the enterprise) at an event that
    starts in five days, in the status where the action is legal."""
    from qihub.accounts.roles import DECIDERS
    from qihub.training.models import Enrolment, TrainingEvent

    organises = whose.role in INSTITUTIONS | DECIDERS
    organiser = (
        whose
        if organises
        else testing.VerifiedUserFactory(username="parity_organiser", role=Role.INSTITUTION)
    )
    participant = users["enterprise"] if organises else whose
    now = timezone.now()
    event = TrainingEvent.objects.create(
        number=f"PX-P{TrainingEvent.objects.count():05d}",
        kind="training",
        topic="计量基础知识",
        field="metrology",
        hours=4,
        starts_at=now + dt.timedelta(days=5),
        place="会议室",
        capacity=10,
        enrol_by=now + dt.timedelta(days=4),
        organiser=organiser,
    )
    status = {"cancel": "enrolled", "check_in": "enrolled", "attend": "checked_in"}
    return Enrolment.objects.create(
        event=event,
        participant=participant,
        code=f"P{Enrolment.objects.count():07d}",
        status=status.get(action, "attended"),
    )


def _improvement_plan(users: dict[str, User | None], *, published: bool) -> Any:
    """A fresh year's plan (one per year), drafted by the supervisor, with one action."""
    from django.db.models import Max

    from qihub.improvement import workflow

    year = (ImprovementPlan.objects.aggregate(Max("year"))["year__max"] or 2019) + 1
    supervisor = users["supervisor"]
    plan = workflow.draft(year, by=supervisor)
    workflow.add_action(
        plan,
        by=supervisor,
        version=None,
        problem="投诉处理超时",
        measure="每周督办",
        owner=users["operator"],
        due_on=timezone.localdate() + dt.timedelta(days=60),
    )
    if published:
        plan.refresh_from_db()
        workflow.publish(plan, by=supervisor, version=plan.version)
    plan.refresh_from_db()
    return plan


def build_improvement_plan(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """The platform's plan, the same for everyone; a draft, where every step is legal."""
    return _improvement_plan(users, published=False)


def build_plan_action(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """An action of a published plan, owned by `whose` when staff can own one (owners are staff),
    else by the administrator."""
    plan = _improvement_plan(users, published=True)
    record = plan.actions.get()
    owner = whose if whose.role in ALL_STAFF else users["admin"]
    PlanAction.objects.filter(pk=record.pk).update(owner=owner)
    record.refresh_from_db()
    return record


def build_access_grant(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """A staff member's request to read an enterprise's archive, waiting for the operator
    head: a decider acting on their "own" record is made the head (the permission that makes
    one); the request is the station staff persona's unless that is the actor."""
    from django.contrib.auth.models import Permission

    if whose.role in DECIDERS:
        whose.user_permissions.add(Permission.objects.get(codename="decide_access"))
    requester = whose if whose.role in STATION_STAFF else users["station_staff"]
    today = timezone.localdate()
    return AccessGrant.objects.create(
        number=f"CY-P{AccessGrant.objects.count():05d}",
        enterprise=testing.OrganisationFactory(),
        requester=requester,
        reason="核查投诉",
        period_from=today,
        period_to=today + dt.timedelta(days=10),
        status="requested",
    )


def build_archive_item(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """A case filed in 2000 with a 10-year retention: past it, awaiting a decision (ARC-4).
    Archive items belong to the platform, so `whose` plays no part."""
    from qihub.filing.models import ArchiveItem
    from qihub.filing.services import file_case

    closed = dt.datetime(2000, 6, 1, 10, 0, tzinfo=dt.UTC)
    item = file_case("consultation", f"ZX-P{ArchiveItem.objects.count():05d}", "到期的咨询", closed)
    ArchiveItem.objects.filter(pk=item.pk).update(retention="D10", keep_until=dt.date(2010, 12, 31))
    item.refresh_from_db()
    return item


PACKAGE_STATUS = {
    "take": "requested",
    "add_line": "planning",
    "remove_line": "planning",
    "propose": "planning",
    "return_plan": "proposed",
    "accept": "proposed",
    "withdraw": "planning",
    "evaluate": "completed",
}


def build_package(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """A package of the client persona (or the enterprise) coordinated by the station staff
    persona (`whose` when a handler), in the status the action starts from, with one line of a
    bystander lab's service serving both requested recognitions."""
    from qihub.packages.models import Package, PackageLine, Recognition

    client = _client(whose, users)
    coordinator = whose if whose.role in HANDLERS else users["station_staff"]
    status = PACKAGE_STATUS[action]
    package = Package.objects.create(
        number=f"DZ-P{Package.objects.count():05d}",
        client=client,
        product="电热水壶",
        stages=["production"],
        description="CCC 与出口欧盟",
        coordinator=None if status == "requested" else coordinator,
        status=status,
        created_at=timezone.now(),
    )
    recognitions = list(Recognition.objects.all()[:2])
    package.recognitions.set(recognitions)
    service = _bystander_lab().services.first()
    line = PackageLine.objects.create(
        package=package, stage="production", service=service, standard="GB 4706.1", price=500
    )
    line.recognitions.set(recognitions)
    return package


def build_batch(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """A pooled batch (DEM-13) for the institution (`whose` when an institution), made by
    `whose` when a handler, holding the client's demand (`whose` when a client) and another
    enterprise's: waiting for the offer (offer, turn_down, cancel) or offered (accept, decline)."""
    from qihub.pooling.models import Batch, BatchMember

    lab = _lab(whose if whose.role in INSTITUTIONS else users["institution"])
    client = whose if whose.role in CLIENTS else users["enterprise"]
    other = (
        users["other_enterprise"] if client != users["other_enterprise"] else users["enterprise"]
    )
    offered = action in {"accept", "decline"}
    batch = Batch.objects.create(
        number=f"PB-P{Batch.objects.count():05d}",
        title="批量检定",
        institution=lab,
        created_by=whose if whose.role in HANDLERS else users["operator"],
        status="offered" if offered else "offering",
        service=lab.services.first() if offered else None,
        price=100 if offered else None,
        period_days=5 if offered else None,
        offered_at=timezone.now() if offered else None,
        created_at=timezone.now(),
    )
    for member in (client, other):
        BatchMember.objects.create(batch=batch, demand=testing.demand(member))
    return batch


def build_defect_report(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """A received report (answer and pass-on are both legal), filed by `whose` when they are a
    member who reports (staff see every report anyway)."""
    from qihub.bulletins import workflow as defects

    reporter = whose if whose.role in CLIENTS else users["enterprise"]
    data = {
        "contact_name": "王先生",
        "contact_phone": "0510-12345678",
        "product": "电动自行车",
        "field": "consumer",
        "defect": "充电器过热",
    }
    return defects.submit(by=reporter, data=data, files=[])


def build_referral(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """The enterprise's request, received (to refer or withdraw) or referred (to follow up and
    conclude); another enterprise's for anyone else."""
    from qihub.finance import workflow as finance
    from qihub.finance.models import FinanceProduct, ReferralStatus

    enterprise = whose if whose.role == Role.ENTERPRISE else users["enterprise"]
    product = FinanceProduct.objects.get_or_create(
        name="质量贷",
        defaults={
            "kind": "quality_loan",
            "provider": "某银行",
            "summary": "凭质量信用贷款",
            "conditions": "质量信用良好",
        },
    )[0]
    record = finance.apply(
        product,
        by=enterprise,
        data={"purpose": "技改", "contact_name": "李经理", "contact_phone": "0510-87654321"},
    )
    if action in ("follow_up", "loaned", "declined"):
        Referral.objects.filter(pk=record.pk).update(status=ReferralStatus.REFERRED)
        record.refresh_from_db()
    return record


def build_support_request(action: str, whose: User, users: dict[str, User | None]) -> Any:
    """`whose` asked for technical support (any role may); waiting for the answer, or answered
    when the submitter is to add more information."""
    from qihub.support import workflow as support
    from qihub.support.models import SupportRequest, SupportStatus

    record = support.submit(by=whose, data={"description": "页面打不开", "page": "/orders/"})
    if action == "add_info":
        SupportRequest.objects.filter(pk=record.pk).update(status=SupportStatus.ANSWERED)
        record.refresh_from_db()
    return record


SCENARIOS: dict[type, Scenario] = {
    Demand: Scenario(_urgent_to_unflag(build_demand), owner="enterprise"),
    Order: Scenario(_urgent_to_unflag(build_order), owner="enterprise"),
    Complaint: Scenario(build_complaint, owner="enterprise"),
    Opinion: Scenario(build_opinion, owner="enterprise"),
    Rectification: Scenario(build_rectification, owner="institution"),
    Application: Scenario(build_application, owner="enterprise"),
    QualificationChange: Scenario(build_qualification_change, owner="institution"),
    Notice: Scenario(build_notice, owner="enterprise"),
    Sample: Scenario(build_sample, owner="enterprise"),
    Booking: Scenario(build_booking, owner="enterprise"),
    Declaration: Scenario(build_declaration, owner="enterprise"),
    Problem: Scenario(build_problem, owner="enterprise"),
    ShowcaseEntry: Scenario(build_showcase_entry, owner="enterprise"),
    KeyProject: Scenario(build_key_project, owner="enterprise"),
    FlowRun: Scenario(build_flow_run, owner="enterprise"),
    Entrustment: Scenario(build_entrustment, owner="enterprise"),
    Consultation: Scenario(build_consultation, owner="enterprise"),
    Batch: Scenario(build_batch, owner="enterprise"),
    ProductArchive: Scenario(build_archive, owner="enterprise"),
    Enrolment: Scenario(build_enrolment, owner="enterprise"),
    ImprovementPlan: Scenario(build_improvement_plan, owner="enterprise"),
    PlanAction: Scenario(build_plan_action, owner="enterprise"),
    AccessGrant: Scenario(build_access_grant, owner="enterprise"),
    ArchiveItem: Scenario(build_archive_item, owner="enterprise"),
    Package: Scenario(build_package, owner="enterprise"),
    DefectReport: Scenario(build_defect_report, owner="enterprise"),
    Referral: Scenario(build_referral, owner="enterprise"),
    SupportRequest: Scenario(build_support_request, owner="enterprise"),
}


# --- a minimal valid form for each action --------------------------------------------------
def _reassign_to(record: Any, users: dict[str, User | None]) -> dict:
    current = record.responsible_id
    to = users["station_staff"] if current != users["station_staff"].pk else users["operator"]
    return {"to": to.pk}


def _keep_shortlist(record: Any, users: dict[str, User | None]) -> dict:
    return {"included": [i.organisation_id for i in record.recommendation.items.all()]}


def _report_pdf(record: Any, users: dict[str, User | None]) -> dict:
    upload = SimpleUploadedFile("report.pdf", testing.pdf_bytes(), "application/pdf")
    return {"report": upload}


def _collector(record: Any, users: dict[str, User | None]) -> dict:
    return {"id_number": "320102199003071234"}


def _return_reasons(record: Any, users: dict[str, User | None]) -> dict:
    return {f"reason_{d.kind}": "扫描件不清晰" for d in record.documents.all()[:1]}


def _replacements(record: Any, users: dict[str, User | None]) -> dict:
    returned = record.events.filter(kind="returned").last()
    return {
        item["item"]: SimpleUploadedFile("补正.pdf", testing.pdf_bytes(), "application/pdf")
        for item in returned.returned_items
    }


def _dossier(record: Any, users: dict[str, User | None]) -> dict:
    upload = SimpleUploadedFile("技术要求.pdf", testing.pdf_bytes(), "application/pdf")
    return {"title_1": "产品技术要求", "file_1": upload}


def _review_comment(record: Any, users: dict[str, User | None]) -> dict:
    document = record.dossier.first()
    return {"verdict": "return", f"comment_{document.pk}": "检验方法缺少引用标准"}


def _served_today(record: Any, users: dict[str, User | None]) -> dict:
    # A service is recorded after it happened: never a future date.
    return {"served_on": timezone.localdate().isoformat()}


def _inspected_today(record: Any, users: dict[str, User | None]) -> dict:
    return {"found_on": timezone.localdate().isoformat()}


def _sample_photo(record: Any, users: dict[str, User | None]) -> dict:
    return {"photo": SimpleUploadedFile("样品.png", testing.png_bytes(), "image/png")}


def _sample_code(record: Any, users: dict[str, User | None]) -> dict:
    return {"code": SAMPLE_CODE}


def _free_slot(record: Any, users: dict[str, User | None]) -> dict:
    """A free slot of the booking's resource, open 9–17 every day for the purpose."""
    from qihub.bookings.models import WeeklyHour
    from qihub.bookings.slots import grid
    from qihub.stations.models import Period

    resource = record.resource
    for day in range(7):
        if resource.station_id is not None:
            Period.objects.get_or_create(
                station_id=resource.station_id, weekday=day, opens=dt.time(9), closes=dt.time(17)
            )
        else:
            WeeklyHour.objects.get_or_create(
                resource=resource, weekday=day, opens=dt.time(9), closes=dt.time(17)
            )
    later = timezone.localdate() + dt.timedelta(days=2)
    return {
        "start": next(s.key for day, row in grid(resource) if day > later for s in row if s.free)
    }


def _current_code(record: Any, users: dict[str, User | None]) -> dict:
    """The client's password and a current code of a new authenticator (a code is good once)."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from conftest import PASSWORD

    device = TOTPDevice.objects.create(user=record.client, name="签署", confirmed=True)
    return {"password": PASSWORD, "code": f"{totp(device.bin_key):06d}"}


def _signed_scan(record: Any, users: dict[str, User | None]) -> dict:
    return {"scan": SimpleUploadedFile("委托书.pdf", testing.pdf_bytes(), "application/pdf")}


def _other_expert(record: Any, users: dict[str, User | None]) -> dict:
    """Another available expert of the question's field to move it to."""
    from qihub.clinic.models import Expert

    account = testing.VerifiedUserFactory(username="parity_expert_2", role=Role.EXPERT)
    other = Expert.objects.get_or_create(
        user=account,
        defaults={
            "name": "吴专家",
            "title": "工程师",
            "fields": [record.field],
            "region": "320200",
            "enrolled_by": users["operator"],
        },
    )[0]
    Expert.objects.filter(pk=other.pk).update(available=True)
    return {"expert": other.pk}


OVERRIDES: dict[tuple[str, str], Callable[[Any, dict[str, User | None]], dict]] = {
    ("consultation", "reassign"): _other_expert,
    ("demand", "reassign"): _reassign_to,
    ("demand", "shortlist"): _keep_shortlist,
    ("order", "issue_report"): _report_pdf,
    ("order", "collection"): _collector,
    ("sample", "receive"): _sample_photo,
    ("sample", "accept"): _sample_code,
    ("sample", "hand_out"): _collector,
    ("application", "return"): _return_reasons,
    ("application", "resubmit"): _replacements,
    ("booking", "adjust"): _free_slot,
    ("flowrun", "tick"): _flow_step,
    ("entrustment", "sign_online"): _current_code,
    ("entrustment", "sign_paper"): _signed_scan,
    ("productarchive", "apply_review"): _dossier,
    ("productarchive", "comment_review"): _review_comment,
    ("productarchive", "record_service"): _served_today,
    ("productarchive", "record_finding"): _inspected_today,
    ("accessgrant", "refuse"): lambda record, users: {"note": "与所办事项无关"},
}


def payload(table: ActionTable, action: Action, record: Any, users: dict) -> dict:
    """Derived from the form's fields: what a person filling in only the required ones posts."""
    kwargs = {"record": record} if "record" in getattr(action.form, "takes", ()) else {}
    form = action.form(**kwargs)
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if name == "version":
            data[name] = record.version
        elif not field.required:
            continue
        elif isinstance(field, forms.ModelChoiceField):
            first = field.queryset.first()
            data[name] = first.pk if first is not None else ""  # nothing to choose: both say 422
        elif isinstance(field, forms.ChoiceField):
            data[name] = next(value for value, _ in field.choices if value not in ("", None))
        elif isinstance(field, forms.DateField):
            data[name] = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
        elif isinstance(field, forms.IntegerField | forms.DecimalField):
            data[name] = 1
        else:
            data[name] = "测试"
    override = OVERRIDES.get((table.workflow.model._meta.model_name, action.name))
    return {**data, **(override(record, users) if override else {})}


# --- the two layers ------------------------------------------------------------------------
@cache
def _api_paths() -> dict[str, str]:
    from qihub.api import api

    schema = api.get_openapi_schema()
    found = [
        (operation["operationId"], path)
        for path, operations in schema["paths"].items()
        for operation in operations.values()
        if isinstance(operation, dict) and "operationId" in operation
    ]
    paths = dict(found)
    # Two tables of models with one name would share "<model_name>_<action>": fail, not guess.
    assert len(paths) == len(found), "duplicate operationIds in the API schema"
    return paths


def page_url(table: ActionTable, action: Action, record: Any) -> str:
    namespace = table.detail.split(":")[0]
    url = reverse(f"{namespace}:{action.name}", kwargs={table.key: getattr(record, table.key)})
    # Two tables in one namespace (complaints and opinions) could share an action's name: the
    # address must lead to this table's view of this action, not the other's.
    closure = [c.cell_contents for c in resolve(url).func.__closure__ or ()]
    assert any(c is table for c in closure) and any(c is action for c in closure), url
    return url


def api_url(table: ActionTable, action: Action, record: Any) -> str:
    operation = f"{table.workflow.model._meta.model_name}_{action.name}"
    template = _api_paths()[operation]
    return template.replace("{" + table.key + "}", str(getattr(record, table.key)))


def page_decision(response: Any) -> str:
    if response.status_code == 403:
        return "refused"
    if response.status_code == 404:
        return "missing"
    if response.status_code != 302:
        return f"page {response.status_code}"
    if response["Location"].startswith("/accounts/login/"):
        return "login"
    levels = {m.level for m in get_messages(response.wsgi_request)}
    if constants.ERROR in levels:
        return "rules"
    if constants.SUCCESS in levels:
        return "done"
    return "302 without a message"


def api_decision(response: Any) -> str:
    return {
        200: "done",
        401: "login",
        403: "refused",
        404: "missing",
        409: "rules",
        422: "rules",
    }.get(response.status_code, f"api {response.status_code}")


def snapshot(record: Any) -> tuple:
    record.refresh_from_db()
    clocks = sorted(clocks_for(record).values_list("code", "state", "owner_id", "due_at"))
    return model_to_dict(record), record.events.count(), clocks


# --- the walk ------------------------------------------------------------------------------
CASES = [
    pytest.param(table, action, persona, ownership, id=f"{label}-{action}-{persona}-{ownership}")
    for table in TABLES_FOUND
    for label in [table.workflow.model._meta.label_lower]
    for action in table.actions
    for persona in ALL_PERSONAS
    for ownership in ("own", "other")
]
LAYERS = ("page", "api")


def test_the_walk_covers_every_action_persona_and_ownership_on_both_layers(record_property):
    walked = len(CASES) * len(LAYERS)
    expected = sum(len(t.actions) for t in TABLES_FOUND) * len(ALL_PERSONAS) * 2 * len(LAYERS)
    record_property("parity_cases", walked)
    print(f"page/API parity: {walked} (action, persona, ownership, layer) cases")
    assert walked == expected
    assert walked >= 396  # the demand table alone: 9 actions × 11 personas × 2 × 2


def test_every_table_has_a_scenario_builder():
    missing = sorted(
        t.workflow.model._meta.label for t in TABLES_FOUND if t.workflow.model not in SCENARIOS
    )
    assert not missing, f"no parity scenario builder for: {', '.join(missing)}"


@pytest.mark.req("ACC-9")
@pytest.mark.parametrize(("table", "action", "persona", "ownership"), CASES)
def test_page_and_api_reach_the_same_decision(
    table, action, persona, ownership, request, client_as, record_property
):
    model = table.workflow.model
    if model not in SCENARIOS:
        pytest.fail(f"no parity scenario builder for {model._meta.label}: add one to SCENARIOS")
    scenario = SCENARIOS[model]
    users = {name: request.getfixturevalue(name) for name in PERSONAS}
    for user in users.values():
        if user.role in CLIENTS | INSTITUTIONS:
            user.verified_at = user.verified_at or timezone.now()
            user.save(update_fields=["verified_at"])
    actor = users.get(persona)
    stranger_name = f"other_{scenario.owner}" if persona == scenario.owner else scenario.owner
    whose = actor if ownership == "own" and actor is not None else users[stranger_name]
    act = table.actions[action]

    decisions, unchanged = {}, {}
    for layer in LAYERS:
        record = scenario.build(action, whose, users)
        before = snapshot(record)
        data = payload(table, act, record, users)
        client = client_as(actor)
        if layer == "page":
            response = client.post(page_url(table, act, record), data)
            decisions[layer] = page_decision(response)
        else:
            response = client.post(api_url(table, act, record), data)
            decisions[layer] = api_decision(response)
        unchanged[layer] = snapshot(record) == before

    label = model._meta.label_lower
    record_property("parity", (label, action, persona, ownership, decisions["page"]))
    assert decisions["page"] == decisions["api"], decisions
    assert decisions["page"] in {"done", "refused", "missing", "login", "rules"}, decisions
    if decisions["page"] in {"refused", "missing", "login"}:
        assert unchanged == {"page": True, "api": True}, "a refused request changed the record"


# --- the regression that motivated ADR 0009 ----------------------------------------------
@pytest.mark.req("ACC-9")
def test_client_cannot_shortlist_reassign_or_refer_own_demand(
    client_as, enterprise, operator, station_staff, institution
):
    enterprise.verified_at = timezone.now()
    enterprise.save(update_fields=["verified_at"])
    lab = testing.institution(account=institution)
    demand = testing.demand(
        enterprise, status=DemandStatus.RESPONDED, responsible=operator, shortlist=[lab]
    )
    before = snapshot(demand)
    items = list(demand.recommendation.items.values_list("organisation_id", "included"))
    page = client_as(enterprise)

    answers = {
        "shortlist": page.post(
            f"/demands/{demand.number}/shortlist/",
            {"version": demand.version, "included": [], "add": ""},
        ),
        "reassign": page.post(
            f"/demands/{demand.number}/reassign/",
            {"version": demand.version, "to": station_staff.pk, "reason": "换人"},
        ),
        "refer": page.post(
            f"/demands/{demand.number}/refer/",
            {"version": demand.version, "searched": "查找", "found": "", "feedback": "反馈"},
        ),
    }

    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(answers, 403)
    assert snapshot(demand) == before  # status, responsible, version, events, clocks
    assert demand.status == DemandStatus.RESPONDED and demand.responsible == operator
    assert list(demand.recommendation.items.values_list("organisation_id", "included")) == items


# --- the right actor on their own record succeeds, and the declared clocks move -------------
def _first_actor(table: ActionTable, action: str, users: dict[str, User | None]) -> tuple:
    """The first persona the table lets take `action` on a record of their own, and that record."""
    scenario = SCENARIOS[table.workflow.model]
    for persona, user in users.items():
        record = scenario.build(action, user, users)
        visible = table.lookup(user, str(getattr(record, table.key))) is not None
        if visible and table.workflow.can(user, record, action):
            return persona, record
    pytest.fail(f"no persona may {action} a {table.workflow.model._meta.label} of their own")


@pytest.mark.req("ACC-9")
@pytest.mark.parametrize(
    ("table", "action"),
    [
        pytest.param(t, a, id=f"{t.workflow.model._meta.label_lower}-{a}")
        for t in TABLES_FOUND
        for a in t.actions
    ],
)
def test_each_action_is_done_by_its_actor_and_moves_the_declared_clocks(
    table, action, request, client_as
):
    """The walk above would pass if every case were refused; here each action succeeds for the
    first persona the table admits on their own record, and its move's clocks start, pause,
    resume or stop (the builders leave the clocks the status implies)."""
    users = {name: request.getfixturevalue(name) for name in PERSONAS}
    for user in users.values():
        if user.role in CLIENTS | INSTITUTIONS:
            user.verified_at = user.verified_at or timezone.now()
            user.save(update_fields=["verified_at"])
    persona, record = _first_actor(table, action, users)
    act, move = table.actions[action], table.workflow[action]
    events = record.events.count()

    response = client_as(users[persona]).post(
        api_url(table, act, record), payload(table, act, record, users)
    )

    assert api_decision(response) == "done", (persona, response.json())
    assert record.events.count() == events + 1
    states = lambda code: set(clocks_for(record).filter(code=code).values_list("state", flat=True))  # noqa: E731
    for code in move.starts + move.resumes:
        assert ClockState.RUNNING in states(code), (code, states(code))
    for code in move.pauses:
        assert states(code) == {ClockState.PAUSED}, (code, states(code))
    for code in move.stops:
        # Stopping moves the clock the status implies; orders refused before service have none.
        assert ClockState.RUNNING not in states(code) and ClockState.PAUSED not in states(code)
    print(f"{table.workflow.model._meta.label_lower}.{action}: done by {persona}")
