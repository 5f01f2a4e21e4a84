"""The institution profile kept drawn (issue 23): the same page as before, byte for byte, and every
change of what it shows appears on the next visit (MATCH-3, CAT-4)."""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from qihub.accounts.models import Organisation
from qihub.bookings.models import Resource, ResourceKind, WeeklyHour
from qihub.institutions.models import InstitutionService
from qihub.institutions.tests.test_qualification_changes import (
    add_payload,
    approve_on_page,
    certificate,
    lab_of,
    latest_change,
)

REFERENCE = Path(__file__).parent / "profile_reference"
# Recorded from `main` before the cache: QIHUB_RECORD_PROFILE=1 writes the files instead.
RECORD = os.environ.get("QIHUB_RECORD_PROFILE") == "1"
DAY = dt.datetime(2026, 5, 12, 10, 0, tzinfo=dt.UTC)
SERVICES = [
    {
        "name": "压力表检定",
        "category": "metrology",
        "description": "一般压力表首次及后续检定\n含出具证书",
        "period_days": "3",
        "pricing": "fixed",
        "price": "35",
        "price_unit": "台件",
    },
    {
        "name": "压力变送器校准",
        "category": "metrology",
        "description": "0.1 级及以下",
        "period_days": "5",
        "pricing": "free",
        "price": "",
        "price_unit": "",
    },
]


def profile_of(client, organisation: Organisation) -> str:
    response = client.get(f"/institutions/{organisation.uscc}/")
    assert response.status_code == 200
    return response.content.decode()


def normalised(page: str, organisation: Organisation) -> str:
    """What differs between runs and databases, not between versions of the page: the nonce,
    the form token and the records' numbers."""
    page = re.sub(r'nonce="[^"]*"', 'nonce="N"', page)
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', 'name="csrfmiddlewaretoken"', page)
    for i, service in enumerate(InstitutionService.objects.order_by("name"), 1):
        page = page.replace(f"/orders/new/{service.pk}/", f"/orders/new/服务{i}/")
    for resource in Resource.objects.all():
        page = page.replace(f"/bookings/resources/{resource.pk}/", "/bookings/resources/预约/")
    return re.sub(r"(/ops/versions/[a-z_-]+/)\d+/", r"\1编号/", page)


@pytest.fixture
def stocked(client_as, listed_institution) -> Organisation:
    """The listed institution with two services of its own and an appointment service."""
    owner = client_as(listed_institution.account)
    for service in SERVICES:
        assert owner.post("/institution/services/", service).status_code == 302
    resource = Resource.objects.create(
        kind=ResourceKind.INSTITUTION, name="送样预约", organisation=listed_institution
    )
    WeeklyHour.objects.create(resource=resource, weekday=1, opens=dt.time(9), closes=dt.time(12))
    return listed_institution


@pytest.mark.req("MATCH-3")
@pytest.mark.parametrize("who", ["visitor", "enterprise", "institution", "operator"])
def test_the_profile_is_the_page_it_was_byte_for_byte(who, request, client_as, stocked):
    user = None if who == "visitor" else request.getfixturevalue(who)
    if who == "institution":
        user = stocked.account
    client = client_as(user)
    with time_machine.travel(DAY, tick=False):
        pages = [normalised(profile_of(client, stocked), stocked) for _ in range(2)]

    reference = REFERENCE / f"{who}.html"
    if RECORD:
        REFERENCE.mkdir(exist_ok=True)
        reference.write_text(pages[0], encoding="utf-8")
    # The first visit draws the body, the second is served it kept: both are the old page.
    assert pages[0] == pages[1] == reference.read_text(encoding="utf-8")


# Each input of the kept body, changed through the page that changes it, shows on the next visit.


def change_member_details(client_as, operator, organisation: Organisation, **changes) -> None:
    from qihub.onboarding.models import ChangeReport
    from qihub.onboarding.tests.test_changes import report

    today = timezone.localdate().isoformat()
    sent = client_as(organisation.account).post("/member/changes/", report(today, **changes))
    assert sent.status_code == 302
    change = ChangeReport.objects.get(organisation=organisation)
    decided = client_as(operator).post(f"/ops/changes/{change.pk}/decide/", {"action": "approve"})
    assert decided.status_code == 302


@pytest.mark.req("MATCH-3")
def test_a_changed_name_and_address_show_on_the_next_visit(
    client, client_as, operator, listed_institution
):
    before = profile_of(client, listed_institution)
    change_member_details(
        client_as,
        operator,
        listed_institution,
        new_name="无锡市示例计量测试院",
        new_address="无锡市新吴区示例大道 8 号",
    )
    after = profile_of(client, listed_institution)

    assert "无锡市示例计量院" in before and "无锡市示例路 9 号" in before
    assert "无锡市示例计量测试院" in after and "无锡市新吴区示例大道 8 号" in after
    assert "无锡市示例路 9 号" not in after


@pytest.mark.req("CAT-4")
def test_a_service_published_edited_and_withdrawn_shows_on_the_next_visit(
    client, client_as, listed_institution
):
    owner = client_as(listed_institution.account)
    empty = profile_of(client, listed_institution)
    owner.post("/institution/services/", SERVICES[0])
    published = profile_of(client, listed_institution)
    service = InstitutionService.objects.get()
    owner.post(
        f"/institution/services/{service.pk}/edit/",
        {**SERVICES[0], "period_days": "4", "price": "40"},
    )
    edited = profile_of(client, listed_institution)
    owner.post(f"/institution/services/{service.pk}/toggle/")
    withdrawn = profile_of(client, listed_institution)

    assert "该机构尚未发布服务项目" in empty
    assert "压力表检定" in published and "3 个工作日" in published and "¥35.00" in published
    assert "4 个工作日" in edited and "¥40.00" in edited and "¥35.00" not in edited
    assert "压力表检定" not in withdrawn and "该机构尚未发布服务项目" in withdrawn


@pytest.mark.req("MATCH-3")
def test_an_approved_qualification_and_its_lines_show_on_the_next_visit(
    client, client_as, institution, operator
):
    lab = lab_of(institution)
    own, desk = client_as(institution), client_as(operator)
    before = profile_of(client, lab)
    own.post("/institution/qualifications/add/", add_payload())
    pending = profile_of(client, lab)
    approve_on_page(desk, latest_change())
    added = profile_of(client, lab)

    assert "CMA-2026-0001" not in before and "塑料管材" not in before
    assert "CMA-2026-0001" not in pending  # only an approval changes what is offered
    assert "CMA-2026-0001" in added and "塑料管材" in added and "GB/T 6111-2018" in added


@pytest.mark.req("MATCH-3")
def test_scope_lines_added_and_withdrawn_show_on_the_next_visit(
    client, client_as, institution, operator
):
    lab = lab_of(institution)
    qualification = lab.qualifications.get()
    old = qualification.scope_lines.get()
    before = profile_of(client, lab)
    client_as(institution).post(
        "/institution/qualifications/lines/",
        {
            "qualification": qualification.pk,
            "retire": [old.pk],
            "line_category": ["metrology", ""],
            "line_verb": ["calibration", ""],
            "line_object": ["电子天平", ""],
            "line_parameter": ["称量误差", ""],
            "line_standard": ["JJF 1847-2020", ""],
            "line_limits": ["(0~220) g", ""],
        },
    )
    approve_on_page(client_as(operator), latest_change())
    after = profile_of(client, lab)

    scope = lambda page: page[page.index('data-testid="scope"') :]  # noqa: E731
    assert old.object in scope(before) and "电子天平" not in scope(before)
    assert "电子天平" in scope(after) and "JJF 1847-2020" in scope(after)
    assert old.object not in scope(after)


@pytest.mark.req("MATCH-3")
def test_a_renewed_and_a_withdrawn_qualification_show_on_the_next_visit(
    client, client_as, institution, operator
):
    lab = lab_of(institution)
    own, desk = client_as(institution), client_as(operator)
    own.post("/institution/qualifications/add/", add_payload())
    approve_on_page(desk, latest_change())
    cma = lab.qualifications.get(type="CMA")
    before = profile_of(client, lab)
    today = timezone.localdate()
    own.post(
        "/institution/qualifications/renew/",
        {
            "qualification": cma.pk,
            "certificate_number": "CMA-2026-0002",
            "valid_from": today.isoformat(),
            "valid_until": (today + dt.timedelta(days=2000)).isoformat(),
            "certificate": certificate("新证书.pdf"),
        },
    )
    approve_on_page(desk, latest_change())
    renewed = profile_of(client, lab)
    own.post(
        "/institution/qualifications/withdraw/", {"qualification": cma.pk, "reason": "不再开展"}
    )
    approve_on_page(desk, latest_change())
    withdrawn = profile_of(client, lab)

    def held(page: str) -> str:
        return page[
            page.index('data-testid="qualifications"') : page.index('data-testid="services"')
        ]

    assert "CMA-2026-0001" in held(before)
    assert "CMA-2026-0002" in held(renewed) and "CMA-2026-0001" not in held(renewed)
    assert "已撤回" in held(withdrawn) and "已撤回" not in held(renewed)
    assert "塑料管材" in renewed and "塑料管材" not in withdrawn


@pytest.mark.req("ORD-3")
def test_the_appointment_service_shows_once_its_owner_sets_weekly_hours(
    client_as, enterprise, listed_institution
):
    resource = Resource.objects.create(
        kind=ResourceKind.INSTITUTION, name="送样预约", organisation=listed_institution
    )
    visitor = client_as(enterprise)
    before = profile_of(visitor, listed_institution)
    saved = client_as(listed_institution.account).post(
        f"/bookings/resources/{resource.pk}/policy/",
        {
            "slot_minutes": 60,
            "min_slots": 1,
            "max_slots": 3,
            "horizon_days": 14,
            "max_future": 3,
            "gap_minutes": 0,
            "per_day": 1,
            "d1_0_opens": "09:00",
            "d1_0_closes": "12:00",
        },
    )
    after = profile_of(visitor, listed_institution)

    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert 'data-testid="book-link"' not in before
    assert f"/bookings/resources/{resource.pk}/" in after and 'data-testid="book-link"' in after
