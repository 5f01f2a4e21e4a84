"""Institutions manage their qualifications and scope lines after onboarding; operators review
each request (ACC-5, ACC-8) and only approval changes what is offered (MATCH-3)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from qihub.accounts.models import Organisation
from qihub.core import testing
from qihub.deadlines.models import ClockState
from qihub.deadlines.queries import clocks_for
from qihub.institutions.models import (
    Institution,
    InstitutionService,
    Pricing,
    Qualification,
    QualificationChange,
    ScopeLine,
)
from qihub.institutions.search import search
from qihub.institutions.workflow import sweep_qualifications
from qihub.orders.models import Order
from qihub.workcal.calendar import TZ

TODAY = dt.date.today


def certificate(name: str = "证书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, testing.pdf_bytes(), "application/pdf")


def lab_of(user, **kwargs) -> Organisation:
    user.verified_at = user.verified_at or timezone.now()
    user.save(update_fields=["verified_at"])
    return testing.institution("无锡示例检测院", account=user, **kwargs)


def latest_change() -> QualificationChange:
    return QualificationChange.objects.order_by("-pk").first()


def approve_on_page(client, change: QualificationChange, note: str = "") -> object:
    change.refresh_from_db()
    return client.post(
        f"/qualification-changes/{change.number}/approve/",
        {"version": change.version, "note": note},
    )


def approve_by_api(client, change: QualificationChange) -> object:
    change.refresh_from_db()
    return client.post(
        f"/api/v1/qualification-changes/{change.number}/approve", {"version": change.version}
    )


ADD = {
    "type": "CMA",
    "certificate_number": "CMA-2026-0001",
    "issuer": "江苏省市场监督管理局",
    "line_category": ["testing", ""],
    "line_verb": ["testing", ""],
    "line_object": ["塑料管材", ""],
    "line_parameter": ["静液压强度", ""],
    "line_standard": ["GB/T 6111-2018", ""],
    "line_limits": ["", ""],
}


def add_payload(**changes) -> dict:
    today = timezone.localdate()
    return {
        **ADD,
        "valid_from": today.isoformat(),
        "valid_until": (today + dt.timedelta(days=1000)).isoformat(),
        "certificate": certificate(),
        **changes,
    }


@pytest.mark.req("ACC-5")
@pytest.mark.req("MATCH-3")
def test_a_new_qualification_with_lines_is_offered_only_once_an_operator_approves(
    client_as, institution, operator
):
    lab = lab_of(institution)
    own, desk = client_as(institution), client_as(operator)

    workbench = own.get("/accounts/workbench/").content.decode()
    page = own.get("/institution/qualifications/").content.decode()
    submitted = own.post("/institution/qualifications/add/", add_payload())
    change = latest_change()
    pending = search("塑料管材")
    queue = desk.get("/ops/qualification-changes/").content.decode()
    detail = desk.get(f"/qualification-changes/{change.number}/").content.decode()
    approved = approve_on_page(desk, change, "证书核对无误")

    assert "建设中" not in workbench.split("机构资质与能力范围")[1][:200]
    assert "资质与能力范围" in page and "新增资质" in page and "Version" not in page
    assert 'name="line_category"' in page and "检验检测" in page  # pickers, not typed codes
    assert submitted.status_code == 302 and change.status == "submitted"
    assert pending == [] and change.number in queue and "塑料管材" in detail
    assert approved.status_code == 302
    change.refresh_from_db()
    qualification = change.qualification
    assert change.status == "approved" and qualification.type == "CMA"
    assert qualification.certificate == change.certificate
    line = qualification.scope_lines.get()
    assert (line.category, line.verb, line.object) == ("testing", "testing", "塑料管材")
    assert [h.organisation for h in search("塑料管材")] == [lab]
    assert list(change.events.values_list("kind", "by")) == [
        ("submitted", institution.pk),
        ("approved", operator.pk),
    ]


@pytest.mark.req("ACC-8")
def test_a_renewal_relists_an_institution_hidden_for_its_lapsed_qualification(
    client_as, institution, operator
):
    lab = lab_of(institution, valid_until=TODAY() - dt.timedelta(days=1))
    lab_ = Institution.objects.get(pk=lab.pk)
    sweep_qualifications()
    lab.refresh_from_db()
    qualification = lab.qualifications.get()
    hidden_search = search("压力表")
    today = timezone.localdate()

    submitted = client_as(institution).post(
        "/api/v1/qualification-changes/renew",
        {
            "qualification": qualification.pk,
            "certificate_number": "JL-NEW-0001",
            "valid_from": today.isoformat(),
            "valid_until": (today + dt.timedelta(days=5 * 365)).isoformat(),
            "certificate": certificate("新证书.pdf"),
        },
    )
    answer = approve_by_api(client_as(operator), latest_change())

    assert lab.listed is False and hidden_search == []
    assert submitted.status_code == 201, submitted.json()
    assert answer.status_code == 200, answer.json()
    assert answer.json()["status"] == "approved"
    qualification.refresh_from_db()
    lab.refresh_from_db()
    assert qualification.number == "JL-NEW-0001"
    assert qualification.valid_until == today + dt.timedelta(days=5 * 365)
    assert lab.listed is True
    assert [h.organisation for h in search("压力表")] == [lab]
    assert [(e.kind, e.from_status, e.to_status, e.by) for e in lab_.events.all()] == [
        ("hidden_expired", "listed", "hidden", None),
        ("relisted", "hidden", "listed", operator),
    ]
    event = latest_change().events.get(kind="approved")
    assert event.before["valid_until"] == (TODAY() - dt.timedelta(days=1)).isoformat()
    assert event.after["number"] == "JL-NEW-0001"


@pytest.mark.req("ACC-8")
@pytest.mark.req("MATCH-3")
def test_withdrawing_the_last_qualification_hides_the_institution_and_keeps_its_lines(
    client_as, institution, operator
):
    lab = lab_of(institution)
    qualification = lab.qualifications.get()
    own = client_as(institution)

    submitted = own.post(
        "/institution/qualifications/withdraw/",
        {"qualification": qualification.pk, "reason": "不再开展计量检定"},
    )
    before = search("压力表")
    answer = approve_by_api(client_as(operator), latest_change())
    page = own.get("/institution/qualifications/").content.decode()

    assert submitted.status_code == 302 and [h.organisation for h in before] == [lab]
    assert answer.status_code == 200, answer.json()
    qualification.refresh_from_db()
    lab.refresh_from_db()
    assert qualification.withdrawn_at is not None
    assert qualification.scope_lines.count() == 1  # history stays
    assert lab.listed is False and search("压力表") == []
    event = Institution.objects.get(pk=lab.pk).events.get()
    assert (event.kind, event.from_status, event.to_status, event.by) == (
        "hidden_withdrawn",
        "listed",
        "hidden",
        operator,
    )
    assert "已撤回" in page


@pytest.mark.req("ACC-5")
def test_lines_are_added_and_withdrawn_under_a_qualification(client_as, institution, operator):
    lab = lab_of(institution)
    qualification = lab.qualifications.get()
    old = qualification.scope_lines.get()

    submitted = client_as(institution).post(
        "/api/v1/qualification-changes/lines",
        {
            "qualification": qualification.pk,
            "retire": [old.pk],
            "line_category": ["metrology"],
            "line_verb": ["calibration"],
            "line_object": ["电子天平"],
            "line_parameter": ["称量误差"],
            "line_standard": ["JJF 1847-2020"],
            "line_limits": ["(0~220) g"],
        },
    )
    approve_on_page(client_as(operator), latest_change())

    assert submitted.status_code == 201, submitted.json()
    old.refresh_from_db()
    assert old.withdrawn_at is not None
    live = ScopeLine.objects.valid_on(TODAY()).filter(organisation=lab)
    assert [(line.object, line.verb) for line in live] == [("电子天平", "calibration")]
    assert [h.organisation for h in search("电子天平")] == [lab]


def test_a_returned_request_changes_nothing(client_as, institution, operator):
    lab = lab_of(institution)
    qualification = lab.qualifications.get()
    own, desk = client_as(institution), client_as(operator)
    own.post(
        "/institution/qualifications/renew/",
        {
            "qualification": qualification.pk,
            "valid_from": TODAY().isoformat(),
            "valid_until": (TODAY() + dt.timedelta(days=900)).isoformat(),
            "certificate": certificate(),
        },
    )
    change = latest_change()
    no_reason = desk.post(
        f"/qualification-changes/{change.number}/return/",
        {"version": change.version, "reason": ""},
        follow=True,
    )
    returned = desk.post(
        f"/qualification-changes/{change.number}/return/",
        {"version": change.version, "reason": "证书扫描件不清晰"},
    )
    late = approve_by_api(desk, change)

    assert "退回原因：必须填写" in no_reason.content.decode()
    assert returned.status_code == 302
    change.refresh_from_db()
    assert change.status == "returned" and change.decision_note == "证书扫描件不清晰"
    assert late.status_code == 409
    assert Qualification.objects.get().valid_until == dt.date(2030, 6, 30)
    assert Institution.objects.get(pk=lab.pk).events.count() == 0
    assert list(change.events.values_list("kind", flat=True)) == ["submitted", "returned"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"certificate": ""}, "资质证书文件：请上传证书扫描件"),
        ({"valid_from": "2031-01-01", "valid_until": "2030-01-01"}, "有效期至：应晚于有效期起"),
        (
            {"line_category": ["testing"], "line_object": [""], "line_parameter": ["x"]},
            "服务能力范围：第 1 行：缺少对象或产品",
        ),
        (
            {k: [""] for k in ADD if k.startswith("line_")},
            "服务能力范围：请至少填写一项服务能力范围",
        ),
        ({"line_category": ["天文观测"]}, "服务能力范围：第 1 行：类别“天文观测”无效"),
        ({"line_category": ["certification"]}, "“认证认可”类能力须依据"),
        ({"line_verb": ["占卜"]}, "服务方式“占卜”无效"),
    ],
)
def test_bad_input_is_named_in_chinese_and_saves_nothing(client_as, institution, changes, message):
    lab_of(institution)
    own = client_as(institution)

    page = own.post("/institution/qualifications/add/", add_payload(**changes))
    api = own.post("/api/v1/qualification-changes/add", add_payload(**changes))

    assert page.status_code == 400 and message in page.content.decode()
    assert api.status_code == 422
    assert message in str(api.json()["errors"])
    assert QualificationChange.objects.count() == 0


def test_only_the_institution_submits_and_only_operators_decide(
    client_as, institution, other_institution, enterprise, supervisor
):
    lab = lab_of(institution)
    change = testing.qualification_change(lab)

    by_enterprise = client_as(enterprise).post("/api/v1/qualification-changes/add", add_payload())
    by_supervisor = approve_by_api(client_as(supervisor), change)
    by_other_lab = client_as(other_institution).get(f"/qualification-changes/{change.number}/")

    assert by_enterprise.status_code == 403
    assert by_supervisor.status_code == 403
    assert by_other_lab.status_code == 404
    change.refresh_from_db()
    assert change.status == "submitted"


# --- validity per line outside search (MATCH-3) --------------------------------------------
@pytest.fixture
def cma_lapsed_cnca_valid(institution) -> Organisation:
    """Testing lines under a lapsed CMA, certification lines under a valid CNCA; one service
    of each."""
    lab = lab_of(
        institution,
        valid_until=TODAY() - dt.timedelta(days=1),
        qualification_type="CMA",
        scope=(("testing", "塑料管材", "静液压强度", "GB/T 6111-2018"),),
        categories=["testing", "certification"],
    )
    cnca = Qualification.objects.create(
        organisation=lab,
        type="CNCA",
        number="CNCA-R-2026-001",
        issuer="国家认证认可监督管理委员会",
        valid_until=TODAY() + dt.timedelta(days=700),
    )
    ScopeLine.objects.create(
        organisation=lab,
        qualification=cnca,
        category="certification",
        verb="certification",
        object="质量管理体系认证",
        standard="GB/T 19001-2016",
    )
    InstitutionService.objects.create(
        organisation=lab,
        name="质量管理体系认证",
        category="certification",
        description="GB/T 19001 认证",
        period_days=20,
        pricing=Pricing.FIXED,
        price=Decimal("5000"),
    )
    return lab


@pytest.mark.req("MATCH-3")
def test_a_lapsed_cma_refuses_testing_orders_while_the_valid_cnca_takes_certification(
    client_as, enterprise, cma_lapsed_cnca_valid
):
    enterprise.verified_at = timezone.now()
    enterprise.save(update_fields=["verified_at"])
    testing_service = cma_lapsed_cnca_valid.services.get(category="testing")
    certification = cma_lapsed_cnca_valid.services.get(category="certification")
    buyer = client_as(enterprise)
    order = {"description": "请按标准服务", "quantity": 1}

    page = buyer.post(reverse("orders:place", args=[testing_service.pk]), order)
    api = buyer.post("/api/v1/orders", {**order, "service": testing_service.pk})
    placed_page = buyer.post(reverse("orders:place", args=[certification.pk]), order)
    placed_api = buyer.post("/api/v1/orders", {**order, "service": certification.pk})

    refusal = "在“检验检测”类别的资质已过期或已撤回，暂不能承接该类服务"
    assert page.status_code == 400 and refusal in page.content.decode()
    assert api.status_code == 409 and refusal in api.json()["detail"]
    assert placed_page.status_code == 302 and placed_api.status_code == 201
    assert list(Order.objects.values_list("service__category", flat=True)) == [
        "certification",
        "certification",
    ]


@pytest.mark.req("MATCH-3")
def test_an_order_placed_before_the_qualification_lapsed_cannot_be_confirmed(
    client_as, enterprise, institution
):
    lab = lab_of(institution)
    order = testing.order_in("placed", enterprise, institution_org=lab)
    Qualification.objects.update(withdrawn_at=timezone.now())

    answer = client_as(institution).post(
        f"/api/v1/orders/{order.number}/confirm", {"version": order.version}
    )

    assert answer.status_code == 409
    assert "不能开始服务" in answer.json()["detail"]
    order.refresh_from_db()
    assert order.status == "placed"


@pytest.mark.req("MATCH-3")
def test_the_profile_shows_each_line_with_its_qualification_and_leaves_lapsed_ones_out(
    client, cma_lapsed_cnca_valid
):
    page = client.get(f"/institutions/{cma_lapsed_cnca_valid.uscc}/").content.decode()
    scope = page.split('data-testid="scope"')[1]
    qualifications = page.split('data-testid="qualifications"')[1].split("</ul>")[0]

    assert "质量管理体系认证" in scope and "CNCA-R-2026-001" in scope
    assert (TODAY() + dt.timedelta(days=700)).strftime("%Y-%m-%d") in scope
    assert "塑料管材" not in scope
    assert "已过期" in qualifications and "有效" in qualifications
    assert 'data-testid="not-orderable"' in page


# --- the deregistration clock (ACC-8) --------------------------------------------------------
@pytest.mark.req("ACC-8")
def test_reporting_closure_starts_the_one_month_deregistration_clock_and_deregistering_stops_it(
    client_as, institution, supervisor
):
    lab = lab_of(institution)
    institution_ = Institution.objects.get(pk=lab.pk)
    own = client_as(institution)
    closed_on = timezone.localdate() - dt.timedelta(days=3)

    reported = own.post("/institution/closure/", {"closed_on": closed_on.isoformat()})
    page = own.get("/institution/deregister/").content.decode()
    clock = clocks_for(institution_).get(code="deregistration")
    lab.refresh_from_db()

    assert reported.status_code == 302
    assert clock.state == ClockState.RUNNING and clock.owner == institution
    assert clock.started_at.astimezone(TZ).date() == closed_on
    assert 28 <= (clock.due_at.astimezone(TZ).date() - closed_on).days <= 31
    assert lab.listed is False and search("压力表") == []
    assert "已报告停业" in page
    assert institution_.events.get().kind == "closure_reported"

    with time_machine.travel(clock.due_at + dt.timedelta(days=1), tick=False):
        call_command("sweep", "--no-deliver", stdout=io.StringIO())
    clock.refresh_from_db()
    assert clock.overdue_at is not None  # escalated by the existing sweep

    own.post("/institution/deregister/", {"reason": "停业", "confirm": "on"})
    clock.refresh_from_db()
    assert clock.state == ClockState.STOPPED
    assert list(institution_.events.values_list("kind", flat=True)) == [
        "closure_reported",
        "deregistered",
    ]


def test_closure_cannot_be_dated_in_the_future_or_reported_twice(client_as, institution):
    lab = lab_of(institution)
    own = client_as(institution)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    future = own.post("/institution/closure/", {"closed_on": tomorrow.isoformat()}, follow=True)
    own.post("/institution/closure/", {"closed_on": timezone.localdate().isoformat()})
    twice = own.post(
        "/institution/closure/", {"closed_on": timezone.localdate().isoformat()}, follow=True
    )

    assert "停业日期：不能晚于今天" in future.content.decode()
    assert "停业已报告" in twice.content.decode()
    assert clocks_for(Institution.objects.get(pk=lab.pk)).count() == 1


@pytest.mark.req("MATCH-3")
def test_an_order_from_a_demand_shortlist_is_refused_the_same_way(
    client_as, enterprise, operator, cma_lapsed_cnca_valid
):
    from qihub.orders.tests.helpers import recommended_demand

    enterprise.verified_at = timezone.now()
    enterprise.save(update_fields=["verified_at"])
    testing.OrganisationFactory(account=enterprise)
    demand = recommended_demand(client_as, enterprise, cma_lapsed_cnca_valid, operator)
    service = cma_lapsed_cnca_valid.services.get(category="testing")

    answer = client_as(enterprise).post(
        "/api/v1/orders",
        {"service": service.pk, "description": "PE 管", "quantity": 1, "demand": demand.number},
    )

    assert answer.status_code == 409
    assert "资质已过期或已撤回" in answer.json()["detail"]
    assert not Order.objects.exists()
