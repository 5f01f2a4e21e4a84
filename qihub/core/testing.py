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
from qihub.accounts.models import MemberKind, Organisation, Role, User
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
    **organisation: Any,
) -> Organisation:
    """A listed institution: verified account, a valid qualification, its scope lines indexed
    for search and recommendation, and (unless `service=False`) one published fixed-price service."""
    from qihub.institutions.search import reindex

    account = account or VerifiedUserFactory(role=Role.INSTITUTION)
    org = OrganisationFactory(
        account=account,
        kind=MemberKind.INSTITUTION,
        name=name,
        uscc=organisation.pop("uscc", None) or uscc(prefix="12320211MB"),
        categories=organisation.pop("categories", ["metrology"]),
        **organisation,
    )
    Qualification.objects.create(
        organisation=org,
        type="LEGAL_METROLOGY",
        number=f"JL-{org.pk:06d}",
        issuer="江苏省市场监督管理局",
        valid_until=valid_until,
        scope="、".join(line[1] for line in scope),
    )
    for category, obj, parameter, standard in scope:
        ScopeLine.objects.create(
            organisation=org,
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
