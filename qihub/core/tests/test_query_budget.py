"""Query budget (reliability bar row B11, issue 23): a list or detail page, and an API list,
costs the same number of SQL queries whether it shows 2 rows or 12, and never more than 15.

Each case names the persona who looks, the page (a URL name) and a maker that adds `k` rows
that persona sees. The page is read once to warm the session, counted with 2 rows, then 10
more rows are made and it is counted again. Pages bound to today or to a lapsed clock run in
frozen time (`Case.frozen_at`, `read_after`); pages that cache what they compute are counted
recomputing (`before_count`). `test_every_list_page_is_covered` walks the URL
resolver: a view built with `make_list` that is neither a case here nor excused in
`NOT_COVERED` (with its reason) fails the suite, so a new list cannot skip its budget."""

import datetime as dt
import inspect
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from qihub.accounts.models import User
from qihub.core import testing as make

BUDGET = 15


@dataclass
class World:
    """The personas of one test and the records rows hang off, made once and shared."""

    users: dict[str, User]
    cache: dict[str, Any] = field(default_factory=dict)

    def lab(self) -> Any:
        """The institution persona's own listed institution."""
        if "lab" not in self.cache:
            self.cache["lab"] = make.institution(account=self.users["institution"])
        return self.cache["lab"]

    def once(self, key: str, build: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = build()
        return self.cache[key]


Maker = Callable[[World, int], None]


@dataclass(frozen=True)
class Case:
    role: str
    url_name: str
    rows: Maker
    args: Callable[[World], tuple] = lambda w: ()
    budget: int = BUDGET  # above 15 only with the reason in `over_budget`
    over_budget: str = ""
    # Pages bound to today or to a lapsed clock: rows are made at `frozen_at` (time stands
    # still there) and the page is read `read_after` later, so 2 and 12 rows fall alike.
    frozen_at: dt.datetime | None = None
    read_after: dt.timedelta = dt.timedelta(0)
    # Run before each count: pages that cache what they compute (statistics) are counted
    # recomputing, as after any change, or the second count would read the cache.
    before_count: Callable[[], None] | None = None
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.url_name}-{self.role}"


def n_times(build: Callable[[World, int], Any]) -> Maker:
    def rows(world: World, k: int) -> None:
        for i in range(k):
            build(world, i)

    return rows


# --- row makers ------------------------------------------------------------------------------
def _orders_of_enterprise(w: World, i: int) -> Any:
    return make.order_in("accepted", w.users["enterprise"], institution_org=w.lab())


def _orders_completed(w: World, i: int) -> Any:
    return make.order_in("completed", w.users["enterprise"], institution_org=w.lab())


def _demand_of_enterprise(w: World, i: int) -> Any:
    return make.demand(w.users["enterprise"], shortlist=[w.lab()])


def _complaint_of_enterprise(w: World, i: int) -> Any:
    return make.complaint(w.users["enterprise"], status="forwarded", against=w.lab())


def _opinion(w: World, i: int) -> Any:
    return make.opinion(w.users["enterprise"])


def _institution(w: World, i: int) -> Any:
    return make.institution(f"无锡第{len(w.cache)}{i}检测所", uscc=make.uscc())


def _station(w: World, i: int) -> Any:
    return make.station(f"第{i}号{len(w.cache)}服务站")


def _application(w: World, i: int) -> Any:
    return make.application(make.VerifiedUserFactory(role="enterprise", verified_at=None))


def _qualification_change(w: World, i: int) -> Any:
    return make.qualification_change(_institution(w, i))


def _rectification(w: World, i: int) -> Any:
    return make.rectification(institution_org=w.lab())


def _sample(w: World, i: int) -> Any:
    return make.sample(_orders_of_enterprise(w, i))


def _order_number(w: World) -> tuple:
    return (w.once("order", lambda: _orders_of_enterprise(w, 0)).number,)


def _order_events(w: World, k: int) -> None:
    from qihub.orders.models import OrderEvent

    order = w.once("order", lambda: _orders_of_enterprise(w, 0))
    for i in range(k):
        OrderEvent.objects.create(
            order=order, kind="note", by=w.users["institution"], note=f"进度 {i}"
        )


def _demand_number(w: World) -> tuple:
    return (w.once("demand", lambda: _demand_of_enterprise(w, 0)).number,)


def _demand_shortlist(w: World, k: int) -> None:
    from qihub.demands.models import RecommendedInstitution

    demand = w.once("demand", lambda: _demand_of_enterprise(w, 0))
    recommendation = demand.recommendation
    recommendation.sent_at = recommendation.computed_at  # sent: the client sees and orders
    recommendation.save(update_fields=["sent_at"])
    start = recommendation.items.count() + 1
    for i in range(k):
        RecommendedInstitution.objects.create(
            recommendation=recommendation,
            organisation=_institution(w, i),
            rank=start + i,
            score=0.5,
        )


def _first_choice(model: Any, name: str) -> str:
    return model._meta.get_field(name).choices[0][0]


def _support_request(w: World, i: int) -> Any:
    from qihub.support import workflow

    return workflow.submit(by=w.users["enterprise"], data={"description": f"页面打不开 {i}"})


def _defect(w: World, i: int) -> Any:
    from qihub.bulletins import workflow
    from qihub.bulletins.models import DefectReport

    data = {
        "contact_name": "王先生",
        "contact_phone": "13800000000",
        "product": "电动自行车",
        "field": _first_choice(DefectReport, "field"),
        "defect": f"充电器发热 {i}",
    }
    return workflow.submit(by=w.users["enterprise"], data=data, files=[])


def _policy(w: World, i: int) -> Any:
    import datetime as dt

    from qihub.bulletins.models import Policy

    return Policy.objects.create(
        title=f"计量监督管理办法 {i}",
        issuer="国家市场监督管理总局",
        issued_on=dt.date(2024, 1, 1),
        field=_first_choice(Policy, "field"),
        created_by=w.users["operator"],
    )


def _alert(w: World, i: int) -> Any:
    import datetime as dt

    from qihub.bulletins.models import Alert

    return Alert.objects.create(
        kind=_first_choice(Alert, "kind"),
        field=_first_choice(Alert, "field"),
        title=f"电热毯安全警示 {i}",
        product="电热毯",
        published_on=dt.date(2024, 1, 1),
        text="请勿折叠使用",
        published_by=w.users["operator"],
    )


def _referral(w: World, i: int) -> Any:
    from qihub.finance import workflow
    from qihub.finance.models import FinanceProduct

    product = w.once(
        "product",
        lambda: FinanceProduct.objects.create(
            kind=_first_choice(FinanceProduct, "kind"),
            name="质量贷",
            provider="无锡农商银行",
            summary="凭检测报告申请",
            conditions="成立满一年",
        ),
    )
    data = {
        "purpose": f"购置检测设备 {i}",
        "contact_name": "李经理",
        "contact_phone": "13900000000",
    }
    return workflow.apply(product, by=w.users["enterprise"], data=data)


def _verified(user: User) -> User:
    if not user.verified_at:
        from django.utils import timezone

        user.verified_at = timezone.now()
        user.save(update_fields=["verified_at"])
    return user


def _package(w: World, i: int) -> Any:
    from qihub.packages import workflow
    from qihub.packages.models import Recognition

    return workflow.request(
        client=_verified(w.users["enterprise"]),
        product=f"智能电热水壶 {i}",
        recognitions=list(Recognition.objects.all()[:2]),
        stages=["research", "production"],
        description="上市前办理认证，同时准备出口。",
    )


def _entrustment(w: World, i: int) -> Any:
    import datetime as dt

    from django.utils import timezone

    from qihub.agency import workflow
    from qihub.agency.models import Authority
    from qihub.catalog.models import ServiceItem

    service = ServiceItem.objects.order_by("category", "position").first()
    today = timezone.localdate()
    return workflow.create(
        client=w.users["enterprise"],
        agent=w.users["station_staff"],
        items=[(service, f"代为申请压力表检定 {i}", None)],
        authorities=[Authority.SUBMIT, Authority.COLLECT],
        handed_over="营业执照复印件",
        period_from=today,
        period_to=today + dt.timedelta(days=30),
    )


def _training_event(w: World, i: int) -> Any:
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from qihub.training import workflow

    now = timezone.now()
    return workflow.publish_event(
        by=w.users["operator"],
        kind="training",
        topic=f"窗口服务规范 {i}",
        field="service",
        description="面向服务站点工作人员。",
        hours=Decimal(6),
        starts_at=now + dt.timedelta(days=10),
        online=False,
        place="市市场监管局报告厅",
        capacity=60,
        fee=Decimal(0),
        enrol_by=now + dt.timedelta(days=8),
    )


def _enrolment(w: World, i: int) -> Any:
    from qihub.training import workflow

    return workflow.enrol(_training_event(w, i), by=w.users["enterprise"])


def _expert(w: World, i: int) -> Any:
    from qihub.accounts.models import Role
    from qihub.clinic.models import Expert

    user = make.VerifiedUserFactory(role=Role.EXPERT)
    return Expert.objects.create(
        user=user,
        name=f"专家{len(w.cache)}{i}",
        title="高级工程师",
        fields=["metrology", "testing"],
        keywords="电能表 检定",
        region="320200",
        enrolled_by=w.users["operator"],
    )


def _consultation(w: World, i: int) -> Any:
    from qihub.clinic import workflow

    w.once("expert", lambda: _expert(w, 0))
    return workflow.ask(
        by=w.users["enterprise"],
        field="metrology",
        title=f"电能表是否必须检定 {i}",
        question="新购电能表用于收取电费，是否必须强制检定？",
        region="320211",
    )


def _equipment(kind: str, schedule: str) -> Maker:
    def build(w: World, i: int) -> Any:
        import datetime as dt

        from django.utils import timezone

        from qihub.equipment import engine
        from qihub.equipment.models import Item

        owner = w.users["enterprise"]
        item = Item.objects.create(
            owner=owner,
            kind=kind,
            name=f"压力表 {i}",
            model="Y-100",
            serial=f"SN{len(w.cache)}{i}",
            location="一车间",
            keeper="张工",
        )
        due = timezone.localdate() + dt.timedelta(days=30 + i)
        engine.new_schedule(item, kind=schedule, cycle_months=12, due_on=due).save()
        return item

    return n_times(build)


def _standard(w: World, i: int) -> Any:
    from qihub.standards.models import Standard

    return Standard.objects.create(
        number=f"GB/T {90000 + Standard.objects.count()}-2020",
        title=f"电动自行车安全技术规范 {i}",
        kind=_first_choice(Standard, "kind"),
        status=_first_choice(Standard, "status"),
    )


def _watch(w: World, i: int) -> Any:
    from qihub.standards.models import Watch

    return Watch.objects.create(user=w.users["enterprise"], standard=_standard(w, i))


def _laboratory(w: World, i: int) -> Any:
    from decimal import Decimal

    from qihub.opening import services
    from qihub.opening.models import Laboratory

    lab = Laboratory(
        name=f"电磁兼容实验室 {i}", area=Decimal(80), equipped_for="暗室", capacity=6, free=True
    )
    return services.create_lab(w.lab(), lab)


def _open_result(w: World, i: int) -> Any:
    from qihub.opening.models import OpenResult

    return OpenResult.objects.create(
        kind=_first_choice(OpenResult, "kind"),
        title=f"电池安全检测方法 {i}",
        field="新能源",
        organisation=w.lab(),
        contact_name="李工",
        contact_phone="13800000000",
        terms=_first_choice(OpenResult, "terms"),
        summary="一种检测方法",
        created_by=w.users["institution"],
    )


def _improvement_plan(w: World, i: int) -> Any:
    from qihub.improvement import workflow
    from qihub.improvement.models import ImprovementPlan

    return workflow.draft(2000 + ImprovementPlan.objects.count(), by=w.users["supervisor"])


def _plan_action(w: World, i: int) -> Any:
    import datetime as dt

    from django.utils import timezone

    from qihub.improvement import workflow

    plan = w.once("plan", lambda: _improvement_plan(w, 0))
    return workflow.add_action(
        plan,
        by=w.users["supervisor"],
        version=None,
        problem=f"投诉处理超时 {i}",
        measure="每周督办一次",
        owner=w.users["operator"],
        due_on=timezone.localdate() + dt.timedelta(days=90),
    )


def _events_of(key: str, parent: Callable[[World], Any], event: str, link: str) -> Maker:
    """`k` history entries on one record (its detail page's children)."""

    def rows(w: World, k: int) -> None:
        from django.apps import apps

        record = w.once(key, lambda: parent(w))
        model = apps.get_model(event)
        for i in range(k):
            model.objects.create(
                **{link: record}, kind="note", by=w.users["operator"], note=f"进度 {i}"
            )

    return rows


def _number_of(key: str, parent: Callable[[World], Any]) -> Callable[[World], tuple]:
    return lambda w: (w.once(key, lambda: parent(w)).number,)


def _history_case(url_name: str, key: str, parent: Callable[[World, int], Any], event: str) -> Case:
    """An enterprise's record whose detail page lists `k` history entries, each linked to it
    by the field named `key`."""
    return Case(
        "enterprise",
        url_name,
        _events_of(key, lambda w: parent(w, 0), event, key),
        _number_of(key, lambda w: parent(w, 0)),
    )


def _services(w: World, k: int) -> None:
    from decimal import Decimal

    from qihub.institutions.models import InstitutionService, Pricing

    listed = w.once("listed", lambda: _institution(w, 0))
    for i in range(k):
        InstitutionService.objects.create(
            organisation=listed,
            name=f"压力表检定 {i}",
            category="metrology",
            description="按标准检定并出具证书",
            period_days=5,
            pricing=Pricing.FIXED,
            price=Decimal("200.00"),
            price_unit="台件",
            published=True,
        )


def _product_archive(w: World, i: int) -> Any:
    from qihub.biomed import workflow

    return workflow.open_archive(
        by=w.users["enterprise"],
        name=f"一次性使用输液器 {i}",
        product_class="device_2",
        route="registration",
        stage="initiation",
    )


def _enterprise_standard(w: World, i: int) -> Any:
    import datetime as dt

    from qihub.guidance.models import EnterpriseStandard

    return EnterpriseStandard.objects.create(
        owner=w.users["enterprise"],
        number=f"Q/WX {EnterpriseStandard.objects.count():03d}-2024",
        title=f"电热水壶企业标准 {i}",
        product="电热水壶",
        issued_on=dt.date(2024, 1, 1),
    )


def _declaration_window(w: World, i: int) -> Any:
    import datetime as dt

    from django.utils import timezone

    from qihub.guidance.models import DeclarationWindow

    today = timezone.localdate()
    return DeclarationWindow.objects.create(
        kind=_first_choice(DeclarationWindow, "kind"),
        title=f"质量标杆申报 {i}",
        department="市市场监管局",
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=20 + i),
        eligibility="在本市注册",
        materials="申报书",
        published_by=w.users["operator"],
    )


def _booking(w: World, i: int) -> Any:
    import datetime as dt
    import uuid

    from django.utils import timezone

    from qihub.bookings.models import Booking

    resource = w.once("lab_room", lambda: _laboratory(w, 0)).resource
    # One day apart whatever `i` is: makers are called 0..1 and again 0..9, and PostgreSQL
    # refuses two bookings of one resource that overlap (the constraint SQLite lacks).
    taken = Booking.objects.filter(resource=resource).count()
    start = timezone.now() + dt.timedelta(days=7 + taken)
    return Booking.objects.create(
        number=f"YY-{uuid.uuid4().hex[:10]}",
        resource=resource,
        user=w.users["enterprise"],
        start=start,
        end=start + dt.timedelta(hours=1),
        purpose="rent",
    )


def _instrument(w: World, i: int) -> Any:
    from qihub.bookings.models import Resource, ResourceKind
    from qihub.instruments.models import Instrument

    name = f"电感耦合等离子体质谱仪 {i}"
    resource = Resource.objects.create(
        kind=ResourceKind.INSTRUMENT, organisation=w.lab(), name=name
    )
    return Instrument.objects.create(
        resource=resource,
        owner=w.lab(),
        name=name,
        model="ICP-MS 7900",
        maker="安捷伦",
        capabilities="痕量元素分析",
        location="二楼仪器室",
        modes=["sample"],
        free=True,
    )


def _industry_figure(w: World, i: int) -> Any:
    from decimal import Decimal

    from qihub.workstation.models import IndustryFigure, Town

    town = Town.objects.create(name=f"第{Town.objects.count() + 1}镇")
    return IndustryFigure.objects.create(
        town=town,
        year=2025,
        quarter=1,
        enterprises=20,
        above_scale=5,
        output=Decimal(8000),
        tax=Decimal(500),
        reported_by=w.users["operator"],
    )


def _directory_entries(w: World, i: int) -> None:
    from qihub.workstation.models import AllianceMember, Hospital, Talent

    n = Hospital.objects.count() + 1
    Hospital.objects.create(
        name=f"示例医院 {n}",
        filing_number=f"药械临床试验备案 示例{n:03d}",
        specialties="骨科",
        contact="021-00000000",
    )
    AllianceMember.objects.create(
        organisation=f"示例医疗器械公司 {n}", offers="输液器", contact="021-10000000"
    )
    Talent.objects.create(name=f"钱工{n}", field="有源医疗器械注册", title="高级工程师")


def _app_device(w: World, i: int) -> Any:
    import datetime as dt
    import uuid

    from django.utils import timezone

    from qihub.accounts.models import AppDevice

    return AppDevice.objects.create(
        user=w.users["enterprise"],
        name=f"手机 {i}",
        refresh_jti=uuid.uuid4().hex,
        expires_at=timezone.now() + dt.timedelta(days=30),
    )


def _server_error(w: World, i: int) -> Any:
    import uuid

    from django.utils import timezone

    from qihub.ops.models import ServerError

    return ServerError.objects.create(
        number=uuid.uuid4().hex[:12].upper(),
        at=timezone.now(),
        path="/orders/",
        method="GET",
        role="enterprise",
        exception_type="ValueError",
    )


def _own_service(w: World, i: int) -> Any:
    from decimal import Decimal

    from qihub.institutions.models import InstitutionService, Pricing

    return InstitutionService.objects.create(
        organisation=w.lab(),
        name=f"压力表检定 {i}",
        category="metrology",
        description="按标准检定并出具证书",
        period_days=5,
        pricing=Pricing.FIXED,
        price=Decimal("200.00"),
        price_unit="台件",
    )


def _own_qualification(w: World, i: int) -> Any:
    import datetime as dt

    from qihub.institutions.models import Qualification, ScopeLine

    qualification = Qualification.objects.create(
        organisation=w.lab(),
        type="LEGAL_METROLOGY",
        number=f"JL-{w.lab().pk:04d}-{Qualification.objects.count():03d}",
        issuer="江苏省市场监督管理局",
        valid_until=dt.date(2030, 6, 30),
        scope="压力表",
    )
    ScopeLine.objects.create(
        organisation=w.lab(),
        qualification=qualification,
        category="metrology",
        object="压力表",
        parameter="示值误差",
        standard="JJG 52-2013",
    )
    return qualification


def _firm(w: World) -> Any:
    """The enterprise persona's own registered company."""
    from qihub.accounts.models import MemberKind, Organisation

    def build() -> Any:
        found = Organisation.objects.filter(account=w.users["enterprise"]).first()
        return found or make.OrganisationFactory(
            account=w.users["enterprise"], kind=MemberKind.ENTERPRISE, name="无锡示例电器有限公司"
        )

    return w.once("firm", build)


def _diagnosis_visit(w: World, i: int) -> Any:
    import datetime as dt

    from qihub.diagnosis import workflow
    from qihub.diagnosis.models import Visit

    return workflow.record_visit(
        by=w.users["operator"],
        enterprise=_firm(w),
        visited_on=dt.date(2026, 1, 5),
        kind=_first_choice(Visit, "kind"),
        visitors="张工、李工",
        findings=f"计量器具台账不全 {i}",
        problems=[],
    )


def _showcase_entry(w: World, i: int) -> Any:
    from qihub.diagnosis.models import ShowcaseEntry, ShowcaseKind, ShowcaseStatus

    return ShowcaseEntry.objects.create(
        kind=ShowcaseKind.PRODUCT,
        title=f"智能电热水壶 {i}",
        enterprise=_firm(w),
        summary="省级优质产品",
        year=2025,
        status=ShowcaseStatus.PUBLISHED,
        proposed_by=w.users["operator"],
    )


def _batch(w: World, i: int) -> Any:
    from qihub.pooling import workflow

    clients = [w.users["enterprise"], make.VerifiedUserFactory(role="enterprise")]
    return workflow.create(
        by=w.users["operator"],
        title=f"电热水壶批量检测 {i}",
        institution=w.lab(),
        demands=[make.demand(c) for c in clients],
    )


def _declaration(w: World, i: int) -> Any:
    from qihub.guidance import workflow

    return workflow.start(_declaration_window(w, i), by=w.users["enterprise"], met=[])


def _station_visit(w: World, i: int) -> Any:
    import datetime as dt

    from qihub.demands import workflow

    return workflow.record_visit(
        by=w.users["station_staff"],
        enterprise_name=f"无锡示例电器有限公司 {i}",
        visited_on=dt.date(2026, 1, 5),
        summary="了解检测需求",
    )


def _key_project(w: World, i: int) -> Any:
    from qihub.workstation import workflow

    return workflow.open_project(
        by=w.users["operator"],
        kind="innovation",
        enterprise=f"示例医疗器械有限公司 {i}",
        product="药物洗脱冠脉支架",
    )


def _flow_run(w: World, i: int) -> Any:
    from qihub.flows import workflow
    from qihub.flows.models import FlowTemplate

    template = FlowTemplate.currents()[0]
    return workflow.start(
        template, by=w.users["operator"], enterprise=_firm(w), subject=f"电热水壶 {i}"
    )


def _campaign(w: World, i: int) -> Any:
    from qihub.evaluations import checks
    from qihub.evaluations.models import Method

    return checks.create_campaign(
        by=w.users["operator"],
        title=f"季度满意度评价 {i}",
        method=Method.SELF,
        year=2025,
        quarter=1 + i % 4,
        institution=w.lab(),
    )


def _appraised_staff(w: World, i: int) -> Any:
    return make.VerifiedUserFactory(role="station_staff")


def _quality_risk(w: World, i: int) -> Any:
    import datetime as dt

    from django.utils import timezone

    from qihub.diagnosis.models import Risk

    return Risk.objects.create(
        enterprise=_firm(w),
        product="电热水壶",
        parameter=f"泄漏电流 {Risk.objects.count()}",
        failures=2,
        last_failed_on=timezone.localdate() - dt.timedelta(days=30),
        flagged_at=timezone.now(),
    )


# A Wednesday in mid-quarter and mid-month, no holiday near: the pages bound to today, this
# month or this quarter read the same period for 2 rows as for 12.
FROZEN = dt.datetime(2026, 5, 13, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _evaluated_order(w: World, i: int) -> Any:
    """A completed order at an institution of its own, evaluated by its client as not
    satisfied: a row of the statistics' institution table and of the dissatisfied list."""
    from qihub.evaluations import workflow
    from qihub.evaluations.models import INDICATORS

    lab = _institution(w, i)
    order = make.order_in("completed", w.users["enterprise"], institution_org=lab)
    workflow.evaluate(
        order, by=w.users["enterprise"], scores=dict.fromkeys(INDICATORS, 2), comment="出报告慢"
    )
    return order


def _recompute_statistics() -> None:
    from qihub.evaluations.statistics import inputs_changed

    inputs_changed()


# Why the statistics are above 15 when counted recomputing: each of the three groupings
# (platform, institutions, stations) is 8 grouped aggregates, a fixed 24 whatever the rows;
# the names of the groups are one query. Read from the cache, as between changes, the pages
# fit in 15 (`test_the_statistics_read_from_the_cache_keep_the_budget`).
STATISTICS = "recomputing the figures: 8 grouped aggregates per grouping, none per row"


def _statistics_case(role: str, url_name: str, budget: int) -> Case:
    return Case(
        role,
        url_name,
        n_times(_evaluated_order),
        budget=budget,
        over_budget=STATISTICS,
        frozen_at=FROZEN,
        before_count=_recompute_statistics,
        # One evaluation per institution: the public page shows groups of one here.
        settings={"QIHUB_STATS_MIN_GROUP": 1},
    )


def _return_visit(w: World, i: int) -> Any:
    from django.utils import timezone

    from qihub.evaluations import workflow

    return workflow.schedule_return_visit(
        _orders_completed(w, i), by=w.users["operator"], on=timezone.localdate()
    )


def _visit_made(w: World, i: int) -> Any:
    from qihub.evaluations import workflow

    return workflow.record_return_visit(
        _return_visit(w, i),
        by=w.users["operator"],
        method="电话",
        result=f"客户认可报告 {i}",
        satisfied=i % 2 == 0,
        problems="" if i % 2 else "希望缩短周期",
    )


def _visits_of_one_order(w: World, k: int) -> None:
    from django.utils import timezone

    from qihub.evaluations import workflow

    order = w.once("completed", lambda: _orders_completed(w, 0))
    for _ in range(k):
        workflow.schedule_return_visit(order, by=w.users["operator"], on=timezone.localdate())


def _filed(closed_year: int) -> Maker:
    """Closed consultations filed in `closed_year` (kept ten years: past retention by now)."""

    def build(w: World, i: int) -> Any:
        import uuid

        from qihub.filing import services
        from qihub.filing.models import CaseKind

        return services.file_case(
            CaseKind.CONSULTATION,
            f"ZX-{uuid.uuid4().hex[:10]}",
            f"电能表是否必须检定 {i}",
            dt.datetime(closed_year, 6, 1, 10, 0, tzinfo=dt.UTC),
        )

    return n_times(build)


def _instrument_booking(w: World, start: dt.datetime, status: str) -> Any:
    import uuid

    from qihub.bookings.models import Booking

    instrument = w.once("instrument", lambda: _instrument(w, 0))
    return Booking.objects.create(
        number=f"YY-{uuid.uuid4().hex[:10]}",
        resource=instrument.resource,
        user=w.users["enterprise"],
        start=start,
        end=start + dt.timedelta(minutes=50),
        purpose="operate",
        status=status,
    )


def _fee_slip(w: World, i: int) -> Any:
    from decimal import Decimal

    from django.utils import timezone

    from qihub.bookings.models import Booking
    from qihub.instruments.models import FeeSlip

    now = timezone.now()
    taken = Booking.objects.filter(resource__instrument__isnull=False).count()
    booking = _instrument_booking(w, now - dt.timedelta(hours=1 + taken), "done")
    return FeeSlip.objects.create(
        number=f"JF-{booking.number}",
        booking=booking,
        instrument=w.cache["instrument"],
        quantity=Decimal(2),
        unit="小时",
        unit_price=Decimal(100),
        amount=Decimal(200),
        issued_at=now,
    )


def _month_of_use(w: World, i: int) -> Any:
    """A done booking in a month of its own: the statistics page has a row per month."""
    from django.utils import timezone

    from qihub.bookings.models import Booking
    from qihub.instruments.models import UseRecord

    taken = Booking.objects.filter(resource__instrument__isnull=False).count()
    booking = _instrument_booking(w, timezone.now() - dt.timedelta(days=31 * (1 + taken)), "done")
    return UseRecord.objects.create(booking=booking, hours=2, samples=3)


def _booking_today(w: World, i: int) -> Any:
    """A booking of the institution's laboratory today, an hour after the last one."""
    import uuid

    from django.utils import timezone

    from qihub.bookings.models import Booking

    resource = w.once("lab_room", lambda: _laboratory(w, 0)).resource
    taken = Booking.objects.filter(resource=resource).count()
    start = timezone.localtime().replace(hour=0, minute=0, second=0) + dt.timedelta(hours=taken)
    return Booking.objects.create(
        number=f"YY-{uuid.uuid4().hex[:10]}",
        resource=resource,
        user=w.users["enterprise"],
        start=start,
        end=start + dt.timedelta(minutes=50),
        purpose="rent",
    )


def _lab_room_pk(w: World) -> tuple:
    return (w.once("lab_room", lambda: _laboratory(w, 0)).resource.pk,)


def _demand_to_follow_up(w: World, i: int) -> Any:
    """A demand in service with its follow-up point running and one contact on record."""
    from qihub.deadlines.workflow import start_clock
    from qihub.demands import workflow
    from qihub.demands.models import DemandStatus

    operator = w.users["operator"]
    demand = make.demand(
        w.users["enterprise"], status=DemandStatus.IN_SERVICE, responsible=operator
    )
    workflow.log_contact(
        demand,
        by=w.users["enterprise"],
        kind="contact",
        method="电话",
        with_whom="平台",
        summary=f"询问进度 {i}",
    )
    start_clock(workflow.FOLLOW_UP_CLOCK, demand, owner=operator, at=demand.published_at, by=None)
    return demand


CASES: list[Case] = [
    # orders
    Case("enterprise", "orders:mine", n_times(_orders_of_enterprise)),
    Case("institution", "orders:institution", n_times(_orders_of_enterprise)),
    Case("operator", "orders:staff", n_times(_orders_completed)),
    Case("enterprise", "orders:detail", _order_events, _order_number),
    # demands
    Case("enterprise", "demands:mine", n_times(_demand_of_enterprise)),
    Case("operator", "demands:queue", n_times(_demand_of_enterprise)),
    Case("institution", "demands:institution", n_times(_demand_of_enterprise)),
    Case("enterprise", "demands:detail", _demand_shortlist, _demand_number),
    Case("operator", "demands:detail", _demand_shortlist, _demand_number),
    # complaints and opinions
    Case("enterprise", "complaints:mine", n_times(_complaint_of_enterprise)),
    Case("operator", "complaints:queue", n_times(_complaint_of_enterprise)),
    Case("institution", "complaints:institution", n_times(_complaint_of_enterprise)),
    Case("operator", "complaints:opinions", n_times(_opinion)),
    # institutions, registration, stations
    Case("operator", "institutions:ops_list", n_times(_institution)),
    Case("operator", "institutions:change_queue", n_times(_qualification_change)),
    Case("operator", "onboarding:queue", n_times(_application)),
    Case("visitor", "stations:directory", n_times(_station)),
    Case("operator", "evaluations:rectifications", n_times(_rectification)),
    Case("operator", "samples:list", n_times(_sample)),
    Case("operator", "evaluations:stations", n_times(_station)),
    # support, bulletins
    Case("enterprise", "support:list", n_times(_support_request)),
    Case("operator", "support:list", n_times(_support_request)),
    Case("operator", "bulletins:defects", n_times(_defect)),
    Case("visitor", "bulletins:policies", n_times(_policy)),
    Case("visitor", "bulletins:alerts", n_times(_alert)),
    Case("enterprise", "finance:referrals", n_times(_referral)),
    Case("operator", "finance:referrals", n_times(_referral)),
    # packages, agency, training
    Case("enterprise", "packages:mine", n_times(_package)),
    Case("operator", "packages:queue", n_times(_package)),
    Case("enterprise", "agency:mine", n_times(_entrustment)),
    Case("station_staff", "agency:queue", n_times(_entrustment)),
    Case("visitor", "training:events", n_times(_training_event)),
    Case("enterprise", "training:mine", n_times(_enrolment)),
    # clinic, equipment
    Case("enterprise", "clinic:list", n_times(_consultation)),
    Case("operator", "clinic:list", n_times(_consultation)),
    Case("operator", "clinic:experts", n_times(_expert)),
    Case("enterprise", "equipment:instruments", _equipment("instrument", "verification")),
    Case("enterprise", "equipment:special", _equipment("lift", "inspection")),
    # standards, opening
    Case("visitor", "standards:index", n_times(_standard)),
    Case("enterprise", "standards:watches", n_times(_watch)),
    Case("visitor", "opening:labs", n_times(_laboratory)),
    Case("institution", "opening:my_labs", n_times(_laboratory)),
    Case("visitor", "opening:results", n_times(_open_result)),
    Case("institution", "opening:my_results", n_times(_open_result)),
    # improvement
    Case("supervisor", "improvement:plans", n_times(_improvement_plan)),
    Case("operator", "improvement:mine", n_times(_plan_action)),
    # biomed, guidance
    Case("enterprise", "biomed:archives", n_times(_product_archive)),
    Case("operator", "biomed:archives", n_times(_product_archive)),
    Case("enterprise", "guidance:standards", n_times(_enterprise_standard)),
    Case("visitor", "guidance:windows", n_times(_declaration_window)),
    Case("enterprise", "bookings:mine", n_times(_booking)),
    # instruments, workstation
    Case("visitor", "instruments:list", n_times(_instrument)),
    Case("institution", "instruments:mine", n_times(_instrument)),
    Case("operator", "workstation:figures", n_times(_industry_figure)),
    Case("visitor", "workstation:directories", n_times(_directory_entries)),
    Case("operator", "workstation:directories", n_times(_directory_entries)),
    # accounts, ops, an institution's own pages
    Case("enterprise", "accounts:devices", n_times(_app_device)),
    Case("operator", "ops:errors", n_times(_server_error)),
    Case("institution", "institutions:my_services", n_times(_own_service)),
    Case("institution", "institutions:my_qualifications", n_times(_own_qualification)),
    # diagnosis
    Case("operator", "diagnosis:visits", n_times(_diagnosis_visit)),
    Case("enterprise", "diagnosis:visits", n_times(_diagnosis_visit)),
    Case("visitor", "diagnosis:showcase", n_times(_showcase_entry)),
    Case("operator", "diagnosis:manage_showcase", n_times(_showcase_entry)),
    # pooling
    Case("operator", "pooling:batches", n_times(_batch)),
    Case("institution", "pooling:institution", n_times(_batch)),
    Case("enterprise", "guidance:declarations", n_times(_declaration)),
    Case("operator", "guidance:declarations", n_times(_declaration)),
    Case("station_staff", "demands:visits", n_times(_station_visit)),
    Case("operator", "workstation:projects", n_times(_key_project)),
    Case("operator", "flows:runs", n_times(_flow_run)),
    Case("enterprise", "flows:runs", n_times(_flow_run)),
    Case("operator", "evaluations:campaigns", n_times(_campaign)),
    Case("operator", "evaluations:staff", n_times(_appraised_staff)),
    Case("operator", "diagnosis:risks", n_times(_quality_risk)),
    Case("enterprise", "diagnosis:risks", n_times(_quality_risk)),
    # detail pages: history entries or lines hanging off one record
    _history_case(
        "complaints:detail", "complaint", _complaint_of_enterprise, "complaints.ComplaintEvent"
    ),
    _history_case("packages:detail", "package", _package, "packages.PackageEvent"),
    _history_case("clinic:detail", "consultation", _consultation, "clinic.ConsultationEvent"),
    # The back office's visits are drawn every time; others are served a kept body whose
    # drawing (the part that could grow with the rows) is this one (issue 23).
    Case(
        "operator",
        "institutions:profile",
        _services,
        lambda w: (w.once("listed", lambda: _institution(w, 0)).uscc,),
    ),
    _history_case("bookings:detail", "booking", _booking, "bookings.BookingEvent"),
    _history_case("agency:detail", "entrustment", _entrustment, "agency.EntrustmentEvent"),
    _history_case("biomed:archive", "archive", _product_archive, "biomed.ArchiveEvent"),
    # statistics (their figures are cached: counted recomputing), return visits, filing
    _statistics_case("visitor", "evaluations:public", budget=27),
    _statistics_case("operator", "evaluations:dashboard", budget=32),
    _statistics_case("operator", "evaluations:report_pdf", budget=31),
    Case("operator", "evaluations:visits", n_times(_return_visit), frozen_at=FROZEN),
    Case("operator", "evaluations:visit_archive", n_times(_visit_made), frozen_at=FROZEN),
    Case(
        "operator",
        "evaluations:return_visits",
        _visits_of_one_order,
        lambda w: (w.once("completed", lambda: _orders_completed(w, 0)).number,),
        frozen_at=FROZEN,
    ),
    Case("operator", "filing:catalogue", _filed(2010), lambda w: (2010, "D10")),
    Case("operator", "filing:due", _filed(2010)),
    # instruments of the institution, bookings of today, pooling offers
    Case("institution", "instruments:fees", n_times(_fee_slip), frozen_at=FROZEN),
    Case("institution", "instruments:stats", n_times(_month_of_use), frozen_at=FROZEN),
    Case("institution", "bookings:day", n_times(_booking_today), _lab_room_pk, frozen_at=FROZEN),
    Case("enterprise", "pooling:offers", n_times(_batch)),
    # follow-up clocks, read once they have lapsed
    Case(
        "operator",
        "demands:follow_ups",
        n_times(_demand_to_follow_up),
        frozen_at=FROZEN,
        read_after=dt.timedelta(days=30),
    ),
    Case(
        "operator",
        "biomed:overdue",
        n_times(_product_archive),
        frozen_at=FROZEN,
        read_after=dt.timedelta(days=30),
    ),
    # API lists
    Case("enterprise", "api-v1:orders", n_times(_orders_of_enterprise)),
    Case("enterprise", "api-v1:demands", n_times(_demand_of_enterprise)),
]

# List views with no 2-versus-12 case yet, each with its reason. Shrink this; never grow it
# silently. Until then `test_an_uncovered_list_page_keeps_the_budget_when_empty` holds each
# one to the budget as its first persona with access sees it.
SAME_VIEW = "the POST address of a page covered above under its own name (same view)"
NOT_COVERED: dict[str, str] = {
    "institutions:submit_qualification_change": SAME_VIEW,
}


def count_queries(client: Any, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), [q["sql"] for q in queries.captured_queries]


def repeated(sql: list[str]) -> str:
    """The statements run more than once (numbers blanked): where an N+1 shows."""
    shapes: dict[str, int] = {}
    for statement in sql:
        shape = re.sub(r"\b\d+\b", "?", statement)[:300]
        shapes[shape] = shapes.get(shape, 0) + 1
    return "\n".join(f"{n} × {shape}" for shape, n in shapes.items() if n > 1)


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_page_costs_the_same_queries_for_2_rows_as_for_12(case, request, client_as):
    from conftest import PERSONAS

    if case.settings:
        overrides = request.getfixturevalue("settings")
        for name, value in case.settings.items():
            setattr(overrides, name, value)
    travel = time_machine.travel(case.frozen_at, tick=False) if case.frozen_at else None
    clock = travel.start() if travel else None

    def making() -> None:
        if clock:
            clock.move_to(case.frozen_at)

    def reading() -> None:
        if clock:
            clock.move_to(case.frozen_at + case.read_after)
        if case.before_count:
            case.before_count()

    try:
        users = {name: request.getfixturevalue(name) for name in PERSONAS}
        world = World(users)
        case.rows(world, 2)
        url = reverse(case.url_name, args=case.args(world))
        reading()
        viewer = client_as(users.get(case.role))  # logged in when it reads: no idle time-out
        viewer.get(url)  # the first request of a session reads more (the session, caches)
        reading()
        few, _ = count_queries(viewer, url)
        making()
        case.rows(world, 10)
        reading()
        many, sql = count_queries(viewer, url)
    finally:
        if travel:
            travel.stop()

    assert many == few, f"{url}: {few} queries with 2 rows, {many} with 12\n{repeated(sql)}"
    assert case.budget == BUDGET or case.over_budget, "a case above 15 says why"
    assert many <= case.budget, f"{url}: {many} queries\n" + "\n".join(sql)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case", [c for c in CASES if c.over_budget == STATISTICS], ids=lambda c: c.id
)
def test_the_statistics_read_from_the_cache_keep_the_budget(case, request, client_as):
    """Between changes the statistics pages read their figures from the cache: 15 at most."""
    from conftest import PERSONAS

    for name, value in case.settings.items():
        setattr(request.getfixturevalue("settings"), name, value)
    with time_machine.travel(case.frozen_at, tick=False):
        users = {name: request.getfixturevalue(name) for name in PERSONAS}
        case.rows(World(users), 12)
        viewer = client_as(users.get(case.role))
        url = reverse(case.url_name)
        viewer.get(url)  # computes and caches the figures
        count, sql = count_queries(viewer, url)
    assert count <= BUDGET, f"{url}: {count} queries\n" + "\n".join(sql)


# Personas tried in turn on an uncovered page: the first one answered 200 is counted.
TRY_ROLES = [
    "operator",
    "enterprise",
    "institution",
    "supervisor",
    "station_staff",
    "expert",
    "individual",
    "admin",
    "visitor",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", sorted(NOT_COVERED))
def test_an_uncovered_list_page_keeps_the_budget_when_empty(url_name, request, client_as):
    from django.urls import NoReverseMatch

    try:
        url = reverse(url_name)
    except NoReverseMatch:
        pytest.skip("the page needs a record in its address: covered once it has a maker")
    for role in [*TRY_ROLES, "institution with its organisation"]:
        if role == "institution with its organisation":  # pages of a listed institution
            user = request.getfixturevalue("institution")
            make.institution(account=user)
        else:
            user = request.getfixturevalue(role)
        viewer = client_as(user)
        if viewer.get(url).status_code != 200:
            continue
        with CaptureQueriesContext(connection) as queries:
            viewer.get(url)
        sql = [q["sql"] for q in queries.captured_queries]
        assert len(sql) <= BUDGET, f"{url} as {role}: {len(sql)} queries\n" + "\n".join(sql)
        return
    pytest.fail(f"{url}: no persona may open it")


# --- the meta-check: no list view escapes the table ------------------------------------------
def _routes(patterns: list, namespace: str = "") -> Iterator[tuple[str, Any]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = namespace + (f"{p.namespace}:" if p.namespace else "")
            yield from _routes(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            yield namespace + p.name, p.callback


def _builds_a_list(view: Any) -> bool:
    """Whether the view calls `make_list`, itself or through a helper of its own module."""
    view = getattr(view, "view_class", None) or view
    view = inspect.unwrap(view)
    try:
        source = inspect.getsource(view)
    except (OSError, TypeError):
        return False
    if "make_list(" in source:
        return True
    module = sys.modules[view.__module__]
    for name, helper in vars(module).items():
        if (
            inspect.isfunction(helper)
            and helper.__module__ == module.__name__
            and helper is not view
            and re.search(rf"\b{name}\(", source)
            and "make_list(" in inspect.getsource(helper)
        ):
            return True
    return False


def list_views() -> set[str]:
    return {name for name, view in _routes(get_resolver().url_patterns) if _builds_a_list(view)}


def test_every_list_page_is_covered():
    covered = {c.url_name for c in CASES}
    missing = list_views() - covered - set(NOT_COVERED)
    stale = set(NOT_COVERED) & covered

    assert not missing, f"list pages without a query-budget case: {sorted(missing)}"
    assert not stale, f"covered now, drop from NOT_COVERED: {sorted(stale)}"
