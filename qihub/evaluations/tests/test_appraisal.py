"""Staff appraisal (CMP-4) and the retraining hold (EVAL-7)."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import UserFactory
from qihub.accounts.models import Role, Station
from qihub.complaints.models import Complaint, ComplaintType
from qihub.demands.models import Demand
from qihub.evaluations.tests.helpers import PIPE, served_order
from qihub.training.models import TrainingRecord


@pytest.fixture
def lab(labs):
    return labs["无锡塑料制品检验所"]


@pytest.fixture
def station(db):
    return Station.objects.create(name="滨湖区一站式服务站", region="320211")


@pytest.fixture
def clerk(station):
    return UserFactory(
        username="clerk", role=Role.STATION_STAFF, station=station, display_name="窗口小王"
    )


def row_of(page: str, username: str) -> str:
    start = page.index(f'data-staff="{username}"')
    return page[start : page.index("</tr>", start)]


@pytest.mark.req("CMP-4")
def test_the_appraisal_shows_each_staff_members_timeliness_returns_complaints_and_evaluations(
    client_as, company, lab, clerk, operator, station
):
    served_order(client_as, company, lab, clerk, overall=2, comment="回复太慢")
    served_order(client_as, company, lab, clerk, overall=5)
    # A demand taken from the clerk (work returned) and a complaint naming the clerk.
    client_as(company).post("/demands/new/", PIPE)
    demand = Demand.objects.order_by("-pk").first()
    client_as(clerk).post(f"/demands/{demand.number}/respond/", {"version": demand.version})
    demand.refresh_from_db()
    taken_back = {"version": demand.version, "to": operator.pk, "reason": "未及时跟进"}
    client_as(operator).post(f"/demands/{demand.number}/reassign/", taken_back)
    client_as(company).post(
        "/complaints/new/",
        {
            "target": "staff",
            "against_name": "窗口小王",
            "against": "",
            "type": ComplaintType.objects.get(name="服务态度").pk,
            "content": "态度生硬",
            "request": "道歉",
            "order": "",
        },
    )
    complaint = Complaint.objects.get()
    offered = client_as(operator).get(f"/complaints/{complaint.number}/").content.decode()
    assert '<option value="clerk">' in offered  # the findings choose the staff member, not type
    findings = {"version": complaint.version, "text": "核实属实", "staff": "clerk"}
    client_as(operator).post(f"/complaints/{complaint.number}/findings/", findings)

    page = client_as(operator).get("/ops/staff/").content.decode()
    export = client_as(operator).get("/ops/staff/?export=xlsx")

    row = row_of(page, "clerk")
    assert "滨湖区一站式服务站" in row
    assert "需求响应 3/3" in row  # responded within the working day, three times
    assert "机构推荐 2/2" in row  # and sent the two shortlists the client ordered from
    assert "100.0%" in row
    # Each served demand's follow-up point (DEM-7) ended when its service completed.
    assert "需求跟踪回访 2/2" in row
    assert "1（14.3%）" in row  # one demand taken back of seven clocks handled
    assert "1（0）" in row  # one complaint, not yet decided
    assert "2（1）" in row and "3.5" in row  # two evaluations, one dissatisfied, mean 3.5
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.req("EVAL-7")
def test_repeated_dissatisfied_evaluations_hold_new_requests_until_a_passed_training(
    client_as, company, lab, clerk, operator, settings
):
    settings.QIHUB_RETRAINING_DISSATISFIED = 2
    served_order(client_as, company, lab, clerk, overall=1)
    clerk.refresh_from_db()
    assert clerk.retraining_since is None  # once is not yet "repeated"
    served_order(client_as, company, lab, clerk, overall=2)
    clerk.refresh_from_db()
    assert clerk.retraining_since is not None

    client_as(company).post("/demands/new/", PIPE)
    demand = Demand.objects.order_by("-pk").first()
    refused = client_as(clerk).post(
        f"/demands/{demand.number}/respond/", {"version": demand.version}, follow=True
    )
    client_as(operator).post(f"/demands/{demand.number}/respond/", {"version": demand.version})
    demand.refresh_from_db()
    handed = client_as(operator).post(
        f"/demands/{demand.number}/reassign/",
        {"version": demand.version, "to": clerk.pk, "reason": "就近服务"},
        follow=True,
    )
    page = client_as(operator).get("/ops/staff/").content.decode()

    assert "复训合格前暂停受理新的需求" in refused.content.decode()
    assert "该工作人员待复训" in handed.content.decode()
    demand.refresh_from_db()
    assert demand.responsible == operator
    assert 'data-testid="retraining"' in row_of(page, "clerk")

    failed = {"held_on": timezone.localdate().isoformat(), "topic": "服务规范", "passed": "no"}
    client_as(operator).post("/ops/staff/clerk/training/", failed)
    clerk.refresh_from_db()
    assert clerk.retraining_since is not None  # a failed training changes nothing
    client_as(operator).post("/ops/staff/clerk/training/", {**failed, "passed": "yes"})
    clerk.refresh_from_db()
    assert clerk.retraining_since is None and TrainingRecord.objects.count() == 2
    # After training the count starts afresh: one more dissatisfied evaluation is not enough.
    served_order(client_as, company, lab, clerk, overall=1)
    clerk.refresh_from_db()
    assert clerk.retraining_since is None


@pytest.mark.req("EVAL-7")
def test_training_input_is_checked_and_only_operators_record_it(
    client_as, clerk, operator, supervisor
):
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()

    bad = client_as(operator).post(
        "/ops/staff/clerk/training/",
        {"held_on": future, "topic": "x", "passed": "yes"},
        follow=True,
    )
    empty = client_as(operator).post(
        "/ops/staff/clerk/training/", {"held_on": "", "topic": "", "passed": "yes"}, follow=True
    )
    forbidden = client_as(supervisor).post(
        "/ops/staff/clerk/training/", {"held_on": "2026-01-05", "topic": "x", "passed": "yes"}
    )

    assert "培训日期：不能晚于今天" in bad.content.decode()
    assert (
        "培训日期：必须填写" in empty.content.decode()
        and "培训内容：必须填写" in empty.content.decode()
    )
    assert forbidden.status_code == 403
    assert not TrainingRecord.objects.exists()
