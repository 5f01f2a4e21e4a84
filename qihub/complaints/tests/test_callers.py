"""A complaint taken by phone, at the window or by letter for a caller without an account
(issue 15, CMP-1, ADR 0012): sealed name and mobile, the 7-working-day clock as for members, an
SMS with the number and a follow link, the public status page, and the claim after registering
with the same mobile."""

import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from qihub.accounts.models import Caller, User
from qihub.complaints.models import Complaint
from qihub.complaints.tests.test_complaints import form
from qihub.deadlines.models import Clock
from qihub.notifications.models import DeliveredMessage
from qihub.onboarding.tests import helpers

MOBILE = "13800000007"


@pytest.fixture
def lab(labs):
    return labs["无锡塑料制品检验所"]


def caller_form(lab, **changes) -> dict:
    return {
        **form(lab),
        "client_kind": "caller",
        "complainant": "",
        "caller_name": "李投诉",
        "caller_mobile": MOBILE,
        "channel": "letter",
        **changes,
    }


def record(client_as, operator, lab, capture, **changes):
    with capture(execute=True):
        return client_as(operator).post("/ops/complaints/new/", caller_form(lab, **changes))


def follow_link(number: str) -> str:
    text = DeliveredMessage.objects.get(channel="sms", text__contains=number).text
    return re.search(r"https?://[^/\s]+(/follow/[^/\s]+/)", text).group(1)


@pytest.mark.req("CMP-1")
def test_staff_register_a_callers_complaint_with_its_clock_and_an_sms(
    client_as, operator, lab, django_capture_on_commit_callbacks
):
    response = record(client_as, operator, lab, django_capture_on_commit_callbacks)

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert complaint.complainant is None and complaint.channel == "letter"
    assert complaint.caller.mobile_masked == "138****0007"
    assert MOBILE not in complaint.caller.mobile_cipher
    assert Clock.objects.get(code="complaint").state == "running"
    sms = DeliveredMessage.objects.get(channel="sms")
    assert sms.address == "138****0007" and f"投诉已登记，编号 {complaint.number}" in sms.text
    page = client_as(operator).get(f"/complaints/{complaint.number}/").content.decode()
    assert 'data-testid="caller"' in page and "李投诉" in page and MOBILE in page


@pytest.mark.req("CMP-1")
def test_the_follow_page_shows_the_complaints_progress_and_outcome_only(
    client_as, operator, lab, django_capture_on_commit_callbacks
):
    record(client_as, operator, lab, django_capture_on_commit_callbacks)
    complaint = Complaint.objects.get()
    url = f"/complaints/{complaint.number}"
    staff = client_as(operator)
    staff.post(f"{url}/findings/", {"version": 1, "text": "经核实，机构内部流程延误"})
    staff.post(f"{url}/decide/", {"version": 2, "substantiated": "yes", "decision": "责令整改"})
    staff.post(f"{url}/feedback/", {"version": 3, "text": "已责令机构三日内出具报告"})

    text = client_as(None).get(follow_link(complaint.number)).content.decode()

    assert complaint.number in text and "已反馈投诉人" in text
    assert "已责令机构三日内出具报告" in text  # the answer owed to the caller
    for hidden in ("经核实，机构内部流程延误", "责令整改<", MOBILE, "138****0007", "李投诉"):
        assert hidden not in text
    assert client_as(None).get("/follow/x/").status_code == 404


@pytest.mark.req("CMP-1")
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"caller_mobile": "1380000000"},
            "caller_mobile",
            "投诉人手机号码：手机号码应为 11 位数字",
        ),
        ({"caller_name": ""}, "caller_name", "投诉人姓名：必须填写"),
        ({"client_kind": "account"}, "complainant", "投诉人：必须填写"),
        ({"content": ""}, "content", "投诉内容：必须填写"),
    ],
)
def test_bad_caller_input_names_the_field_and_saves_nothing(
    client_as, operator, lab, django_capture_on_commit_callbacks, change, field, message
):
    response = record(client_as, operator, lab, django_capture_on_commit_callbacks, **change)

    assert response.status_code == 400
    assert f'data-field="{field}">{message}' in response.content.decode()
    assert not Complaint.objects.exists() and not Caller.objects.exists()
    assert not DeliveredMessage.objects.exists()


@pytest.mark.req("CMP-1")
def test_the_caller_registers_and_claims_while_others_cannot(
    client_as, operator, company, lab, django_capture_on_commit_callbacks, client
):
    record(client_as, operator, lab, django_capture_on_commit_callbacks)
    complaint = Complaint.objects.get()
    refused = client_as(company).post(f"/complaints/{complaint.number}/claim/")
    refused_api = client_as(company).post(f"/api/v1/complaints/{complaint.number}/claim")

    response = helpers.submit(client, "individual", helpers.individual("li_tousu", mobile=MOBILE))
    assert response.status_code == 302, re.findall(
        r"field-error[^>]*>([^<]*)", response.content.decode()
    )
    li = User.objects.get(username="li_tousu")
    listed = client.get("/complaints/").content.decode()
    claimed = client.post(f"/complaints/{complaint.number}/claim/")

    assert (refused.status_code, refused_api.status_code) == (404, 404)
    assert 'data-testid="claimable"' in listed and complaint.number in listed
    assert claimed.status_code == 302
    complaint.refresh_from_db()
    assert complaint.complainant == li and complaint.caller.claimed_by == li
    event = complaint.events.get(kind="claimed")
    assert event.by == li and event.note.endswith("（138****0007）")
    detail = client.get(f"/complaints/{complaint.number}/").content.decode()
    assert "认领" in detail and 'data-testid="claim"' not in detail


@pytest.mark.req("CMP-1")
@pytest.mark.req("DEM-1")
def test_callers_demands_and_complaints_count_in_the_statistics(
    client_as, operator, supervisor, lab, django_capture_on_commit_callbacks
):
    from qihub.demands.tests.test_callers import CALLER

    record(client_as, operator, lab, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client_as(operator).post("/ops/demands/new/", {**CALLER, "caller_mobile": "13900000011"})
    today = timezone.localdate()
    query = f"year={today.year}&quarter={(today.month - 1) // 3 + 1}"

    export = client_as(supervisor).get(f"/ops/statistics/?{query}&export=platform")

    sheet = load_workbook(io.BytesIO(export.content)).active
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    assert (row[header.index("需求数")], row[header.index("投诉数")]) == (1, 1)
