"""Cheap set-up for tests: verified users of every role, organisations, listed institutions,
demands and orders, written straight to the database.

Only for the *setup* of a test. The behaviour under test is still driven through pages and the
API; these factories exist so that a test which needs "an enterprise with an organisation" or "a
published demand" does not pay for the registration flow (uploads, SMS codes, review) each time.
Imported by tests only: factory-boy is a test dependency.
"""

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from qihub.accounts.identifiers import uscc_check_character
from qihub.accounts.models import MemberKind, Organisation, Role, Station, User
from qihub.accounts.roles import CLIENTS
from qihub.catalog.models import Category
from qihub.core.numbering import next_number
from qihub.demands.models import (
    Channel,
    Demand,
    DemandStatus,
    Recommendation,
    RecommendedInstitution,
)
from qihub.institutions.models import InstitutionService, Pricing, Qualification, ScopeLine

PASSWORD = "Test-passw0rd-qihub"  # noqa: S105 - the personas' password in conftest.py
_serial = itertools.count(1)
_hashed: dict[str, str] = {}


def hashed_password(raw: str = PASSWORD) -> str:
    """Hash once per run: every user shares the hash, so creating hundreds costs no hashing."""
    if raw not in _hashed:
        _hashed[raw] = make_password(raw)
    return _hashed[raw]


def uscc(serial: int | None = None, *, prefix: str = "91320211MA") -> str:
    """A valid, unique unified social credit code (the check character is computed)."""
    first17 = f"{prefix}{serial if serial is not None else next(_serial):07d}"[:17]
    return first17 + uscc_check_character(first17)


class VerifiedUserFactory(factory.django.DjangoModelFactory):
    """An account that passed real-name review; the role decides staff flags (User.save)."""

    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"member{n}")
    display_name = factory.LazyAttribute(lambda u: f"{u.username} 的显示名")
    role = Role.ENTERPRISE
    is_superuser = factory.LazyAttribute(lambda u: u.role == Role.ADMIN)
    verified_at = factory.LazyFunction(timezone.now)
    password = factory.LazyFunction(hashed_password)


class OrganisationFactory(factory.django.DjangoModelFactory):
    """An enterprise's organisation; pass `kind=MemberKind.INSTITUTION` for an institution."""

    class Meta:
        model = Organisation

    account = factory.SubFactory(VerifiedUserFactory, role=Role.ENTERPRISE)
    kind = MemberKind.ENTERPRISE
    name = factory.Sequence(lambda n: f"无锡示例企业{n}有限公司")
    uscc = factory.LazyFunction(uscc)
    address = "江苏省无锡市滨湖区示例路 1 号"
    legal_representative = "李四"
    contact_name = "王五"
    region = "320211"


def institution(
    name: str = "无锡示例计量院",
    *,
    account: User | None = None,
    valid_until: dt.date = dt.date(2030, 6, 30),
    scope: tuple[tuple[str, str, str, str], ...] = (
        ("metrology", "压力表", "示值误差", "JJG 52-2013"),
    ),
    service: bool = True,
    qualification_type: str = "LEGAL_METROLOGY",
    **organisation: Any,
) -> Organisation:
    """A listed institution: verified account, a valid qualification, its scope lines indexed
    for search and recommendation, and (unless `service=False`) one published fixed-price service."""
    from qihub.institutions.index import reindex

    account = account or VerifiedUserFactory(role=Role.INSTITUTION)
    org = OrganisationFactory(
        account=account,
        kind=MemberKind.INSTITUTION,
        name=name,
        uscc=organisation.pop("uscc", None) or uscc(prefix="12320211MB"),
        categories=organisation.pop("categories", ["metrology"]),
        **organisation,
    )
    qualification = Qualification.objects.create(
        organisation=org,
        type=qualification_type,
        number=f"JL-{org.pk:06d}",
        issuer="江苏省市场监督管理局",
        valid_until=valid_until,
        scope="、".join(line[1] for line in scope),
    )
    for category, obj, parameter, standard in scope:
        ScopeLine.objects.create(
            organisation=org,
            qualification=qualification,
            category=category,
            object=obj,
            parameter=parameter,
            standard=standard,
        )
    if service:
        InstitutionService.objects.create(
            organisation=org,
            name=f"{scope[0][1]}{scope[0][2]}",
            category=scope[0][0],
            description="按标准检定并出具证书",
            period_days=5,
            pricing=Pricing.FIXED,
            price=Decimal("200.00"),
            price_unit="台件",
        )
    reindex(org)
    return org


def demand(
    client: User | None = None,
    *,
    status: str = DemandStatus.PUBLISHED,
    responsible: User | None = None,
    shortlist: list[Organisation] | None = None,
    clocks: bool = True,
    **fields: Any,
) -> Demand:
    """A demand in `status`, as publishing and the earlier steps would have left it: its
    number, its two clocks running (unless `clocks=False`) and a recommendation listing
    `shortlist` (empty unless given)."""
    from qihub.deadlines.workflow import start_clock
    from qihub.demands.workflow import BOTH_CLOCKS

    client = client or VerifiedUserFactory(role=Role.ENTERPRISE)
    if client.role in CLIENTS and not client.verified_at:
        client.verified_at = timezone.now()
        client.save(update_fields=["verified_at"])
    now = timezone.now()
    record = Demand.objects.create(
        number=next_number("XQ", now),
        client=client,
        client_organisation=Organisation.objects.filter(account=client).first(),
        channel=fields.pop("channel", Channel.ONLINE),
        category=fields.pop("category", Category.METROLOGY),
        title=fields.pop("title", "压力表检定"),
        description=fields.pop("description", "我司有 20 块压力表需要检定"),
        product=fields.pop("product", "压力表"),
        standard=fields.pop("standard", "JJG 52-2013"),
        region=fields.pop("region", "320211"),
        status=status,
        published_at=now,
        responsible=responsible,
        responded_at=now if responsible else None,
        **fields,
    )
    recommendation = Recommendation.objects.create(demand=record, computed_at=now)
    for rank, org in enumerate(shortlist or [], start=1):
        RecommendedInstitution.objects.create(
            recommendation=recommendation, organisation=org, rank=rank, score=1.0
        )
    if clocks:
        for code in BOTH_CLOCKS:
            start_clock(code, record, at=now)
    return record


def order(
    client: User | None = None,
    *,
    institution_org: Organisation | None = None,
    status: str = "placed",
    **fields: Any,
) -> Any:
    """An order with a listed institution's published service, in `status` (default placed)."""
    from qihub.orders.models import Order

    client = client or VerifiedUserFactory(role=Role.ENTERPRISE)
    institution_org = institution_org or institution()
    service = institution_org.services.first() or InstitutionService.objects.create(
        organisation=institution_org,
        name="检定",
        category=Category.METROLOGY,
        description="按标准检定",
        period_days=5,
        pricing=Pricing.FIXED,
        price=Decimal("200.00"),
    )
    now = timezone.now()
    return Order.objects.create(
        number=next_number("DD", now),
        client=client,
        client_organisation=Organisation.objects.filter(account=client).first(),
        institution=institution_org,
        service=service,
        description=fields.pop("description", "压力表 20 块"),
        free=fields.pop("free", False),
        price=fields.pop("price", service.price),
        period_days=fields.pop("period_days", service.period_days),
        status=status,
        placed_at=now,
        **fields,
    )


# --- records in a given status, as the workflow would have left them ------------------------
# Each factory writes the fields and the statutory clock the status implies (running, paused or
# stopped), so a step taken from it moves the clocks exactly as it would in production.
def _clock(record: Any, code: str, state: str = "running", *, at: dt.datetime, **kw: Any) -> Any:
    from qihub.deadlines import workflow as clocks

    clock = clocks.start_clock(code, record, at=at, **kw)
    if state == "paused":
        clock = clocks.pause_clock(clock, reason="等待补充材料", at=at)
    elif state == "stopped":
        clock = clocks.stop_clock(clock, at=at, note="已办结")
    return clock


def pdf_bytes() -> bytes:
    """A small, readable one-page PDF (what `orders.reports.is_real_pdf` accepts)."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def document(owner: User, kind: str = "supporting", name: str = "材料.pdf") -> Any:
    """A stored document (a real file under the upload root)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qihub.accounts.models import Document
    from qihub.accounts.uploads import upload_batch

    with upload_batch() as batch:
        return Document.objects.create(
            owner=owner,
            kind=kind,
            **batch.store(SimpleUploadedFile(name, b"%PDF-1.7\n%%EOF", "application/pdf")),
        )


def order_in(
    status: str,
    client: User | None = None,
    *,
    institution_org: Organisation | None = None,
    **fields: Any,
) -> Any:
    """An order in `status` with what the steps up to it leave: a quote's price, the running
    service clock owned by the institution (accepted), the stopped clock and the report
    (completed, unless `report=False`)."""
    from qihub.orders.models import Order, OrderStatus, Report
    from qihub.orders.workflow import SERVICE_CLOCK

    with_report = fields.pop("report", True)
    record = order(client, institution_org=institution_org, status=status, **fields)
    now = record.placed_at
    if status == OrderStatus.QUOTED:
        record.price = record.price or Decimal("300.00")
    if status in (OrderStatus.ACCEPTED, OrderStatus.COMPLETED):
        state = "running" if status == OrderStatus.ACCEPTED else "stopped"
        clock = _clock(record, SERVICE_CLOCK, state, at=now, owner=record.institution.account)
        record.accepted_at, record.due_at = now, clock.due_at
    if status == OrderStatus.COMPLETED:
        record.completed_at = now
    record.save()
    if status == OrderStatus.COMPLETED and with_report:
        account = record.institution.account
        Report.objects.create(
            order=record,
            number=next_number("BG", now),
            conclusion="所检项目符合要求",
            source=document(account, name="report.pdf"),
            issued=document(record.client, name="BG.pdf"),
            sha256="0" * 64,
            signature="0" * 128,
            issued_at=now,
            issued_by=account,
        )
    return Order.objects.get(pk=record.pk)


def caller_of(user: User, name: str = "王来电") -> Any:
    """A caller without an account whose mobile is `user`'s (given one if it has none): the
    record made for it is the user's to claim (ADR 0012)."""
    from qihub.accounts import callers
    from qihub.core import pii

    if not user.mobile_digest:
        sealed = pii.seal(f"199{user.pk:08d}", keep_start=3, keep_end=4)
        user.mobile_cipher, user.mobile_digest = sealed.cipher, sealed.digest
        user.mobile_masked = sealed.masked
        user.save(update_fields=["mobile_cipher", "mobile_digest", "mobile_masked"])
    return callers.register(name, pii.decrypt(user.mobile_cipher)).caller


def complaint(
    complainant: User | None = None,
    *,
    status: str = "accepted",
    against: Organisation | None = None,
    paused: bool = False,
    **fields: Any,
) -> Any:
    """A web complaint about an institution, in `status`, with the fields and the 7-working-day
    clock the steps up to it leave (running; paused if `paused`; stopped once closed)."""
    from qihub.complaints.models import Complaint, ComplaintChannel, ComplaintStatus, ComplaintType
    from qihub.complaints.workflow import CLOCK

    S = ComplaintStatus
    complainant = complainant or VerifiedUserFactory(role=Role.ENTERPRISE)
    against = against or institution()
    now = timezone.now()
    later = list(S).index(S(status))
    values: dict[str, Any] = {
        "forwarded_at": now if later >= list(S).index(S.FORWARDED) else None,
        "institution_response": "已核实并整改" if later >= list(S).index(S.RESPONDED) else "",
        "findings": "经核实，情况属实" if later >= list(S).index(S.RESPONDED) else "",
    }
    if later >= list(S).index(S.DECIDED):
        values.update(substantiated=True, decision="责令机构整改")
    if status == S.CLOSED:
        values.update(outcome="已责令机构整改", closed_at=now)
    record = Complaint.objects.create(
        number=next_number("TS", now),
        complainant=complainant,
        channel=ComplaintChannel.WEB,
        target="institution",
        against_organisation=against,
        type=fields.pop("type", None) or ComplaintType.objects.order_by("pk").first(),
        content=fields.pop("content", "检定证书迟迟未出具"),
        request=fields.pop("request", "尽快出具证书"),
        status=status,
        submitted_at=now,
        **{**values, **fields},
    )
    state = "stopped" if status == S.CLOSED else "paused" if paused else "running"
    _clock(record, CLOCK, state, at=now)
    return record


def opinion(submitted_by: User | None = None, **fields: Any) -> Any:
    """An open opinion from the suggestion box (anyone's, signed in or not)."""
    from qihub.complaints.models import Opinion, OpinionChannel, OpinionKind, OpinionStatus

    now = timezone.now()
    return Opinion.objects.create(
        number=next_number("YJ", now),
        channel=fields.pop("channel", OpinionChannel.BOX),
        kind=fields.pop("kind", OpinionKind.SUGGESTION),
        content=fields.pop("content", "希望增加夜间窗口"),
        submitted_by=submitted_by,
        received_at=now,
        status=fields.pop("status", OpinionStatus.OPEN),
        **fields,
    )


def station(name: str = "滨湖服务站") -> Any:
    return Station.objects.get_or_create(name=name, defaults={"region": "320211"})[0]


def rectification(
    *,
    status: str = "open",
    institution_org: Organisation | None = None,
    at_station: Any = None,
    opened_by: User | None = None,
    **fields: Any,
) -> Any:
    """A rectification addressed to an institution (from a substantiated complaint about it) or to
    a station, in `status`, with the plan and actions the steps up to it leave and its running
    15-working-day clock."""
    from qihub.evaluations.models import Rectification, RectificationSource, RectificationStatus
    from qihub.evaluations.workflow import RECTIFICATION_CLOCK

    R = RectificationStatus
    now = timezone.now()
    opened_by = opened_by or VerifiedUserFactory(role=Role.OPERATOR)
    source_fields: dict[str, Any]
    if at_station is not None:
        source_fields = {"source": RectificationSource.WINDOW_CHECK, "station": at_station}
    else:
        institution_org = institution_org or institution()
        source_fields = {
            "source": RectificationSource.COMPLAINT,
            "institution": institution_org,
            "complaint": complaint(against=institution_org, status="decided"),
        }
    record = Rectification.objects.create(
        number=next_number("ZG", now),
        problem=fields.pop("problem", "检定证书出具超期"),
        plan="增加检定人员，三日内出具" if status in (R.PLANNED, R.ACTED) else "",
        actions="已增加两名检定员" if status == R.ACTED else "",
        status=status,
        opened_by=opened_by,
        opened_at=now,
        **source_fields,
        **fields,
    )
    _clock(record, RECTIFICATION_CLOCK, at=now)
    return record


def application(applicant: User, *, status: str = "submitted", reviewer: User | None = None) -> Any:
    """A registration application in `status`: the applicant unverified, one material their kind
    files, and the 3-working-day review clock running. A returned one is returned by the review's
    own step (by `reviewer`, an operator unless given): its event names the material, its clock
    is stopped."""
    from qihub.onboarding import workflow
    from qihub.onboarding.models import Application, ApplicationStatus

    kind = {Role.INDIVIDUAL: MemberKind.INDIVIDUAL, Role.INSTITUTION: MemberKind.INSTITUTION}.get(
        applicant.role, MemberKind.ENTERPRISE
    )
    now = timezone.now()
    applicant.verified_at = None
    applicant.save(update_fields=["verified_at"])
    record = Application.objects.create(
        applicant=applicant, kind=kind, status=ApplicationStatus.SUBMITTED, submitted_at=now
    )
    material = document(
        applicant, kind="id_scan" if kind == MemberKind.INDIVIDUAL else "business_licence"
    )
    record.documents.add(material)
    _clock(record, workflow.REVIEW_CLOCK, at=now)
    if status == ApplicationStatus.RETURNED:
        item = {"item": material.kind, "label": material.get_kind_display(), "reason": "不清晰"}
        reviewer = reviewer or VerifiedUserFactory(role=Role.OPERATOR)
        record = workflow.return_for_supplement(record, by=reviewer, returned_items=[item])
    elif status != ApplicationStatus.SUBMITTED:
        raise ValueError(f"application(status={status!r}): only submitted or returned")
    return record


def qualification_change(
    organisation: Organisation,
    *,
    kind: str = "renew",
    valid_until: dt.date | None = None,
    lines: list[dict] | None = None,
) -> Any:
    """A pending change request of an institution (renewing its first qualification unless
    `kind` says otherwise), with a certificate, as the institution's own submission leaves it."""
    from qihub.institutions.models import ChangeStatus, QualificationChange

    qualification = organisation.qualifications.filter(withdrawn_at__isnull=True).first()
    today = timezone.localdate()
    return QualificationChange.objects.create(
        number=next_number("ZZ"),
        organisation=organisation,
        kind=kind,
        status=ChangeStatus.SUBMITTED,
        qualification=None if kind == "add" else qualification,
        type=qualification.type if qualification else "CMA",
        certificate_number=f"NEW-{organisation.pk:06d}",
        issuer="江苏省市场监督管理局",
        valid_from=today,
        valid_until=valid_until or today + dt.timedelta(days=3 * 365),
        certificate=document(organisation.account, kind="qualification_certificate"),
        new_lines=lines or [],
        submitted_by=organisation.account,
        submitted_at=timezone.now(),
    )


def png_bytes() -> bytes:
    """A 1×1 PNG (a photo as the upload checks read it)."""
    import base64

    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )


def sample(order: Any, *, station: Any = None, status: str = "registered", **fields: Any) -> Any:
    """A sample of `order` at `station` in `status`, with the times and hand-over fields the
    steps up to it leave (received, dispatched to a carrier, arrived at the institution)."""
    from qihub.samples.models import Sample, SampleStatus

    S = SampleStatus
    now = timezone.now()
    reached = {
        S.RECEIVED: 1,
        S.IN_TRANSIT: 2,
        S.AT_INSTITUTION: 3,
        S.HANDED_OUT: 4,
    }.get(status, 0)
    values = {
        "name": "压力表",
        "quantity": 2,
        "received_at": now if reached >= 1 else None,
        "dispatched_at": now if reached >= 2 else None,
        "carrier": "李转运" if reached >= 2 else "",
        "arrived_at": now if reached >= 3 else None,
        **fields,
    }
    return Sample.objects.create(
        code=next_number("YP", now),
        order=order,
        client=order.client,
        station=station or Station.objects.get_or_create(name="滨湖服务站", region="320211")[0],
        status=status,
        registered_at=now,
        **values,
    )


# The data migrations that seed rows a fresh installation has, in the order they ran.
MIGRATION_SEEDS = (
    ("qihub.catalog.migrations.0002_default_platform_info", "create_default"),
    ("qihub.workcal.migrations.0002_seed_official_calendar", "seed"),
    ("qihub.workcal.migrations.0003_chinese_source", "chinese_source"),
    ("qihub.complaints.migrations.0002_complaint_types", "seed"),
    ("qihub.flows.migrations.0002_seed_flows", "seed"),
    ("qihub.catalog.migrations.0004_seed_service_items", "seed"),
    ("qihub.catalog.migrations.0005_article_numbering_guide", "seed"),
    ("qihub.catalog.migrations.0007_serviceitem_flow", "set_flows"),
    ("qihub.catalog.migrations.0008_pharma_items", "seed"),
    ("qihub.catalog.migrations.0009_special_equipment_three_level_warning", "forward"),
    ("qihub.institutions.migrations.0010_scope_line_qualification_synonyms", "seed_synonyms"),
)


def restore_migration_seeds() -> None:
    """Put back what the data migrations seeded (catalogue items and guides, synonyms, the
    official calendar…) when an earlier transactional test in this process flushed the tables.
    Django's `serialized_rollback` cannot do it here: the flush re-creates the content types
    under new keys and the serialized copy then collides with them."""
    from importlib import import_module

    from django.apps import apps

    from qihub.catalog.models import ServiceItem

    if ServiceItem.objects.exists():
        return  # nothing was flushed
    for module, function in MIGRATION_SEEDS:
        getattr(import_module(module), function)(apps, None)
