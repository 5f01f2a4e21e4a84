"""A demand taken by phone for a caller without an account (issue 15, DEM-1, ADR 0012): sealed
name and mobile, an SMS with the number and a follow link, a public read-only status page, and
the claim after registering with the same mobile."""

import re

import pytest

from qihub.accounts.models import Caller, User
from qihub.core import pii
from qihub.core.models import AuditEvent
from qihub.core.tests.test_no_english_leaks import page_text
from qihub.deadlines.models import Clock
from qihub.demands.models import Demand
from qihub.demands.tests.test_demands import PIPE
from qihub.notifications.models import DeliveredMessage
from qihub.onboarding.tests import helpers

MOBILE = "19900000005"
CALLER = {
    **PIPE,
    "client_kind": "caller",
    "client": "",
    "caller_name": "王来电",
    "caller_mobile": MOBILE,
    "channel": "phone",
}


def record_call(client_as, operator, django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        return client_as(operator).post("/ops/demands/new/", {**CALLER, **changes})


def follow_link(number: str) -> str:
    """The path of the follow link in the SMS the caller got, as the caller would open it."""
    text = DeliveredMessage.objects.get(channel="sms", text__contains=number).text
    return re.search(r"https?://[^/\s]+(/follow/[^/\s]+/)", text).group(1)


@pytest.mark.req("DEM-1")
def test_staff_record_a_callers_demand_sealed_with_both_clocks_and_an_sms(
    client_as, operator, labs, django_capture_on_commit_callbacks
):
    offered = client_as(operator).get("/ops/demands/new/").content.decode()
    assert "无账户来电/来信/窗口人员" in offered and 'name="caller_mobile"' in offered

    response = record_call(client_as, operator, django_capture_on_commit_callbacks)

    demand = Demand.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/demands/{demand.number}/"
    assert demand.client is None and (demand.channel, demand.entered_by) == ("phone", operator)
    caller = demand.caller
    # Sealed like every personal datum: no plaintext column, the masked form for display.
    assert (caller.mobile_masked, caller.name_masked) == ("199****0005", "王**")
    assert MOBILE not in caller.mobile_cipher and "王来电" not in caller.name_cipher
    assert pii.decrypt(caller.mobile_cipher) == MOBILE
    assert caller.mobile_digest == pii.digest(MOBILE)
    # The same two clocks as an account holder's demand.
    assert set(Clock.objects.filter(state="running").values_list("code", flat=True)) == {
        "demand_response",
        "demand_recommendation",
    }
    sms = DeliveredMessage.objects.get(channel="sms")
    assert sms.address == "199****0005" and demand.number in sms.text and "/follow/" in sms.text
    assert caller.sms_sent_at is not None
    assert "提出人无平台账户" in demand.events.get().note
    # The queue names the caller, masked, where an account holder's name would be.
    queue = page_text(client_as(operator).get("/ops/demands/").content.decode())
    assert "王**（无账户）" in queue and "王来电" not in queue


@pytest.mark.req("DEM-1")
def test_the_follow_page_shows_status_and_time_limits_without_personal_data(
    client_as, operator, labs, django_capture_on_commit_callbacks
):
    record_call(client_as, operator, django_capture_on_commit_callbacks)
    demand = Demand.objects.get()

    page = client_as(None).get(follow_link(demand.number))
    wrong = client_as(None).get("/follow/not-the-token/")

    text = page.content.decode()
    assert page.status_code == 200 and demand.number in text and "已发布，待响应" in text
    assert "截止" in text and 'data-testid="clock"' in text
    for personal in (MOBILE, "199****0005", "王来电", "王**", operator.username):
        assert personal not in text
    assert wrong.status_code == 404
    # Chinese only (the number aside): no raw status, code or field name reaches the caller.
    assert re.findall(r"[A-Za-z]{2,}", page_text(text).replace(demand.number, "")) == []


@pytest.mark.req("DEM-1")
def test_the_handler_sees_the_caller_in_full_other_staff_masked(
    client_as, operator, station_staff, labs, django_capture_on_commit_callbacks
):
    record_call(client_as, operator, django_capture_on_commit_callbacks)
    demand = Demand.objects.get()
    other = User.objects.create(username="other_operator", role="operator")

    own = client_as(operator).get(f"/demands/{demand.number}/").content.decode()
    masked = client_as(other).get(f"/demands/{demand.number}/").content.decode()

    assert "王来电" in own and MOBILE in own
    assert "199****0005" in masked and MOBILE not in masked and "王来电" not in masked
    # Every read of the full value is audited.
    assert AuditEvent.objects.filter(action="reveal", actor=operator, field="mobile").exists()


@pytest.mark.req("DEM-1")
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"caller_mobile": "12345"}, "caller_mobile", "来电人手机号码：手机号码应为 11 位数字"),
        ({"caller_mobile": ""}, "caller_mobile", "来电人手机号码：必须填写"),
        ({"caller_name": " "}, "caller_name", "来电人姓名：必须填写"),
        ({"channel": "email"}, "channel", "来源渠道：无账户人员只能通过电话、信函或窗口登记"),
        ({"client_kind": "account"}, "client", "需求提出人：必须填写"),
        ({"title": ""}, "title", "需求标题：必须填写"),
    ],
)
def test_bad_caller_input_is_refused_with_the_field_named_and_nothing_saved(
    client_as, operator, labs, django_capture_on_commit_callbacks, change, field, message
):
    response = record_call(client_as, operator, django_capture_on_commit_callbacks, **change)

    text = response.content.decode()
    assert response.status_code == 400
    assert f'data-field="{field}">{message}' in text
    assert not Demand.objects.exists() and not Caller.objects.exists()
    assert not DeliveredMessage.objects.exists()


@pytest.mark.req("DEM-1")
def test_the_caller_registers_with_the_same_mobile_and_claims_the_demand(
    client_as, operator, labs, django_capture_on_commit_callbacks, client
):
    record_call(client_as, operator, django_capture_on_commit_callbacks)
    demand = Demand.objects.get()
    response = helpers.submit(client, "individual", helpers.individual("wang", mobile=MOBILE))
    assert response.status_code == 302
    wang = User.objects.get(username="wang")

    mine = client.get("/demands/").content.decode()
    follow = client.get(follow_link(demand.number)).content.decode()
    claimed = client.post(f"/demands/{demand.number}/claim/")

    assert 'data-testid="claimable"' in mine and demand.number in mine
    assert 'data-testid="follow-claim"' in follow
    assert claimed.status_code == 302
    demand.refresh_from_db()
    assert demand.client == wang and demand.caller.claimed_by == wang
    event = demand.events.get(kind="claimed")
    assert event.by == wang and event.after == {"client": str(wang), "client_organisation": None}
    after = client.get("/demands/").content.decode()
    assert demand.number in after and 'data-testid="claimable"' not in after
    # Claimed once: the claim is gone for everyone, the client included.
    assert client.post(f"/demands/{demand.number}/claim/").status_code == 403


@pytest.mark.req("DEM-1")
def test_nobody_else_can_claim_a_callers_demand_on_page_or_api(
    client_as, operator, company, labs, django_capture_on_commit_callbacks
):
    record_call(client_as, operator, django_capture_on_commit_callbacks)
    demand = Demand.objects.get()
    stranger = client_as(company)  # a verified enterprise with another (or no) mobile

    page = stranger.post(f"/demands/{demand.number}/claim/")
    api = stranger.post(f"/api/v1/demands/{demand.number}/claim")
    staff = client_as(operator).post(f"/api/v1/demands/{demand.number}/claim")
    mine = stranger.get("/demands/").content.decode()

    assert (page.status_code, api.status_code, staff.status_code) == (404, 404, 403)
    assert 'data-testid="claimable"' not in mine
    demand.refresh_from_db()
    assert demand.client is None and demand.caller.claimed_by is None
    assert not demand.events.filter(kind="claimed").exists()


@pytest.mark.req("DEM-1")
def test_the_claim_through_the_api(
    client_as, operator, individual, labs, django_capture_on_commit_callbacks
):
    record_call(client_as, operator, django_capture_on_commit_callbacks)
    demand = Demand.objects.get()
    sealed = pii.seal(MOBILE, keep_start=3, keep_end=4)
    individual.mobile_cipher, individual.mobile_digest = sealed.cipher, sealed.digest
    individual.save(update_fields=["mobile_cipher", "mobile_digest"])

    app = client_as(individual)
    seen = app.get(f"/api/v1/demands/{demand.number}")
    response = app.post(f"/api/v1/demands/{demand.number}/claim")

    assert seen.status_code == 200 and seen.json()["status_label"] == "已发布，待响应"
    assert response.status_code == 200 and response.json()["number"] == demand.number
    demand.refresh_from_db()
    assert demand.client == individual
