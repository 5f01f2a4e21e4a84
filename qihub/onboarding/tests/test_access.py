"""Access control (ACC-9) and personal data (ACC-2): who may open what, staff two-factor log-in,
idle time-out, and the raw ID number appearing nowhere it should not."""

import datetime as dt
import logging

import pytest
import time_machine
from django.apps import apps
from django.db import models
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import ALL_PERSONAS, PASSWORD
from qihub.core.models import AuditEvent
from qihub.onboarding.models import Application
from qihub.onboarding.tests import helpers


@pytest.fixture
def application(client, db):
    helpers.submit(client, "individual", helpers.individual())
    return Application.objects.get()


MEMBERS = {
    "individual",
    "enterprise",
    "other_enterprise",
    "institution",
    "other_institution",
    "expert",
    "station_staff",
}
STAFF = {"operator", "supervisor", "admin"}
DECIDERS = {"operator", "admin"}


def only(allowed: set[str], ok: int = 200, others: int = 403, visitor: int = 302) -> dict[str, int]:
    return {
        "visitor": visitor,
        **{name: ok if name in allowed else others for name in MEMBERS | STAFF},
    }


# URL (GET unless it starts with "POST ") → expected status for every persona. The personas
# have no application or organisation of their own; the application belongs to a new applicant.
MATRIX: dict[str, dict[str, int]] = {
    "/register/": only(MEMBERS | STAFF, visitor=200),
    "/register/enterprise/": only(MEMBERS | STAFF, visitor=200),
    "/register/scope-template.xlsx": only(MEMBERS | STAFF, visitor=200),
    "/register/status/": only(MEMBERS | STAFF, ok=302),  # nothing to show: sent to choose a type
    "/ops/reviews/": only(STAFF),
    "/ops/reviews/{pk}/": only(STAFF),
    "POST /ops/reviews/{pk}/reveal/": only(DECIDERS, ok=200),
    "/documents/{document}/": only(STAFF, others=404),  # others may not know it exists
    "/member/changes/": only(
        {"enterprise", "other_enterprise", "institution", "other_institution"}, ok=404
    ),
    "/ops/changes/": only(STAFF),
    "/institution/deregister/": only({"institution", "other_institution"}, ok=404),
    "/ops/institutions/": only(STAFF),
    "/institution/services/": only({"institution", "other_institution"}, ok=404),
    "/ops/institutions/import/": only(DECIDERS),
    "/ops/institutions/import/template.xlsx": only(DECIDERS),
    "/ops/search-misses/": only(STAFF),
    "/demands/": only({"individual", "enterprise", "other_enterprise"}),
    "/demands/new/": only({"individual", "enterprise", "other_enterprise"}),
    "/ops/demands/": only(STAFF | {"station_staff"}),
    "/ops/demands/new/": only(DECIDERS | {"station_staff"}),
    "/institution/demands/": only({"institution", "other_institution"}),
    "/station/visits/": only({"station_staff", "operator"}),
    "/demands/XQ-2026-999999/": only(MEMBERS | STAFF, ok=404, others=404),
    "POST /demands/XQ-2026-999999/respond/": only(MEMBERS | STAFF, ok=404, others=404),
    "/api/v1/demands": only(MEMBERS | STAFF, visitor=401),
    "/orders/": only({"individual", "enterprise", "other_enterprise"}),
    "/institution/orders/": only({"institution", "other_institution"}),
    "/ops/orders/": only(STAFF | {"station_staff"}),
    "/orders/DD-2026-999999/": only(MEMBERS | STAFF, ok=404, others=404),
    "POST /orders/DD-2026-999999/confirm/": only(MEMBERS | STAFF, ok=404, others=404),
    "/api/v1/orders": only(MEMBERS | STAFF, visitor=401),
    "/orders/DD-2026-999999/report.pdf": only(MEMBERS | STAFF, ok=404, others=404),
    "POST /orders/DD-2026-999999/collection/": only(MEMBERS | STAFF, ok=404, others=404),
    "/orders/DD-2026-999999/evaluate/": only(MEMBERS | STAFF, ok=404, others=404),
    "/orders/DD-2026-999999/return-visits/": only(MEMBERS | STAFF, ok=404, others=404),
    "POST /demands/XQ-2026-999999/reassign/": only(MEMBERS | STAFF, ok=404, others=404),
    "POST /demands/XQ-2026-999999/shortlist/": only(MEMBERS | STAFF, ok=404, others=404),
    "POST /demands/XQ-2026-999999/send/": only(MEMBERS | STAFF, ok=404, others=404),
    "POST /demands/XQ-2026-999999/refer/": only(MEMBERS | STAFF, ok=404, others=404),
    "POST /demands/XQ-2026-999999/contact/": only(MEMBERS | STAFF, ok=404, others=404),
    "POST /demands/XQ-2026-999999/change/": only(MEMBERS | STAFF, ok=404, others=404),
    "POST /demands/XQ-2026-999999/withdraw/": only(MEMBERS | STAFF, ok=404, others=404),
    "POST /demands/XQ-2026-999999/close/": only(MEMBERS | STAFF, ok=404, others=404),
    "POST /orders/DD-2026-999999/accept/": only(MEMBERS | STAFF, ok=404, others=404),
    "POST /orders/DD-2026-999999/refuse/": only(MEMBERS | STAFF, ok=404, others=404),
    "POST /orders/DD-2026-999999/cancel/": only(MEMBERS | STAFF, ok=404, others=404),
    "POST /orders/DD-2026-999999/progress/": only(MEMBERS | STAFF, ok=404, others=404),
    "POST /orders/DD-2026-999999/complete/": only(MEMBERS | STAFF, ok=404, others=404),
    "POST /orders/DD-2026-999999/report/": only(MEMBERS | STAFF, ok=404, others=404),
    "/orders/new/999999/": only({"individual", "enterprise", "other_enterprise"}, ok=404),
    "/api/v1/demands/XQ-2026-999999": only(MEMBERS | STAFF, ok=404, others=404, visitor=401),
    "/api/v1/orders/DD-2026-999999": only(MEMBERS | STAFF, ok=404, others=404, visitor=401),
    "/complaints/": only({"individual", "enterprise", "other_enterprise"}),
    "/complaints/new/": only({"individual", "enterprise", "other_enterprise"}),
    "/ops/complaints/": only(STAFF),
    "/ops/complaints/new/": only(DECIDERS),
    "/institution/complaints/": only({"institution", "other_institution"}),
    "/complaints/TS-2026-999999/": only(MEMBERS | STAFF, ok=404, others=404),
    "POST /complaints/TS-2026-999999/decide/": only(MEMBERS | STAFF, ok=404, others=404),
    "/verify/BG-2026-999999/": only(MEMBERS | STAFF, ok=404, others=404, visitor=404),
    "/ops/institutions/{org}/deregister/": only(DECIDERS),
    "/api/v1/registrations/me": only(MEMBERS | STAFF, ok=404, visitor=401),
    "/api/v1/institutions": only(MEMBERS | STAFF, visitor=200),
    "/api/v1/complaints": only(MEMBERS | STAFF, visitor=401),
    "/api/v1/complaints/TS-2026-999999": only(MEMBERS | STAFF, ok=404, others=404, visitor=401),
    "/opinions/new/": only(MEMBERS | STAFF, visitor=200),
    "/ops/opinions/": only(STAFF),
    # A record action: whoever may not know of the opinion gets 404, like every action table.
    "POST /ops/opinions/YJ-2026-999999/close/": only(MEMBERS | STAFF, ok=404, others=404),
    "/ops/opinions/YJ-2026-999999/": only(STAFF, ok=404),
    "/api/v1/opinions": only(STAFF, visitor=401),
    "/api/v1/opinions/YJ-2026-999999": only(MEMBERS | STAFF, ok=404, others=404, visitor=401),
    "/statistics/": only(MEMBERS | STAFF, visitor=200),
    "/statistics/chart/on-time.svg": only(MEMBERS | STAFF, visitor=200),
    "/ops/statistics/": only(STAFF),
    "/ops/statistics/report.pdf": only(STAFF),
    "POST /ops/evaluations/999999/analyse/": only(DECIDERS, ok=404),
    "/rectifications/": only(STAFF | {"institution", "other_institution", "station_staff"}),
    "/rectifications/ZG-2026-999999/": only(MEMBERS | STAFF, ok=404, others=404),
    "POST /rectifications/ZG-2026-999999/verify/": only(MEMBERS | STAFF, ok=404, others=404),
    "POST /ops/rectifications/new/": only(STAFF, ok=302),
    "/ops/stations/": only(STAFF | {"station_staff"}),
    "/ops/stations/999999/check/": only(STAFF | {"station_staff"}, ok=404),
    "/ops/satisfaction/": only(STAFF),
    "/ops/satisfaction/999999/": only(STAFF, ok=404),
    "/ops/staff/": only(STAFF),
    "POST /ops/staff/nobody/training/": only(DECIDERS, ok=404),
}


@pytest.fixture
def institution_org(db):
    from qihub.accounts.models import MemberKind, Role
    from qihub.core import testing

    owner = testing.VerifiedUserFactory(
        username="org_owner", role=Role.INSTITUTION, verified_at=None
    )
    return testing.OrganisationFactory(account=owner, kind=MemberKind.INSTITUTION, name="某机构")


@pytest.mark.req("ACC-9")
@pytest.mark.parametrize("persona", ALL_PERSONAS, indirect=True)
@pytest.mark.parametrize("route", list(MATRIX))
def test_permission_matrix(persona, client_as, request, route):
    name, user = persona
    method, _, url = route.rpartition(" ")
    # Only the review and document rows name the application; registering one (uploads, SMS
    # code, encryption) for every other row was most of this matrix's time.
    keys = {}
    if "{pk}" in url or "{document}" in url:
        application = request.getfixturevalue("application")
        keys.update(pk=application.pk, document=application.documents.get().pk)
    if "{org}" in url:
        keys["org"] = request.getfixturevalue("institution_org").pk
    url = url.format(**keys)
    client = client_as(user)

    response = client.post(url, {"reason": "核对"}) if method == "POST" else client.get(url)

    assert response.status_code == MATRIX[route][name], (name, route)


@pytest.mark.req("ACC-9")
def test_staff_log_in_needs_the_code_from_their_authenticator(client, operator):
    device = TOTPDevice.objects.create(user=operator, name="手机", confirmed=True)
    form = {"username": "operator", "password": PASSWORD}

    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False):
        without = client.post("/accounts/login/", form)
        wrong = client.post("/accounts/login/", {**form, "otp_token": "000000"})
    # django-otp slows down guessing after a wrong code; a person tries again a little later.
    with time_machine.travel(start + dt.timedelta(seconds=5), tick=False):
        right = client.post(
            "/accounts/login/", {**form, "otp_token": f"{totp(device.bin_key):06d}"}
        )

    assert "须输入动态口令" in without.content.decode()
    assert "动态口令不正确" in wrong.content.decode()
    assert right.status_code == 302
    assert client.get("/ops/reviews/").status_code == 200


@pytest.mark.req("ACC-9")
def test_a_staff_session_ends_after_fifteen_idle_minutes_a_members_after_thirty(
    client_as, operator, station_staff, enterprise
):
    start = dt.datetime.now(dt.UTC)
    staff, station, member = client_as(operator), client_as(station_staff), client_as(enterprise)
    with time_machine.travel(start, tick=False):
        assert staff.get("/ops/reviews/").status_code == 200
        assert station.get("/ops/demands/").status_code == 200
        member.get("/accounts/workbench/")
    with time_machine.travel(start + dt.timedelta(minutes=14), tick=False):
        assert staff.get("/ops/reviews/").status_code == 200
        assert member.get("/accounts/workbench/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=30), tick=False):
        timed_out = [staff.get("/ops/reviews/"), station.get("/ops/demands/")]
        member_page = member.get("/accounts/workbench/")
    with time_machine.travel(start + dt.timedelta(minutes=61), tick=False):
        member_timed_out = member.get("/accounts/workbench/")

    assert all(
        r.status_code == 302 and r["Location"].startswith("/accounts/login/") for r in timed_out
    )
    assert member_page.status_code == 200  # 16 minutes since the member's last page
    assert member_timed_out.status_code == 302


@pytest.mark.req("ACC-9")
def test_staff_passwords_need_three_character_classes(client_as, admin):
    form = {
        "username": "new_operator",
        "role": "operator",
        "display_name": "",
        "password1": "simplepassword2026",
        "password2": "simplepassword2026",
        "usable_password": "true",
    }

    weak = client_as(admin).post("/admin/accounts/user/add/", form)
    strong = client_as(admin).post(
        "/admin/accounts/user/add/",
        {**form, "password1": "Strong-pass-2026", "password2": "Strong-pass-2026"},
    )

    assert "至少三类" in weak.content.decode()
    assert strong.status_code == 302


def every_text_value() -> list[str]:
    values = []
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        for row in model.objects.values_list(*fields) if fields else []:
            values += [str(v) for v in row if v]
    return values


@pytest.mark.req("ACC-2")
def test_the_raw_id_number_is_nowhere_but_in_an_audited_reveal(
    client, db, client_as, operator, supervisor, caplog
):
    raw = helpers.id_number()
    with caplog.at_level(logging.DEBUG):
        helpers.submit(client, "individual", helpers.individual())
        application = Application.objects.get()
        pages = [
            client.get("/register/status/").content.decode(),
            client_as(supervisor).get(f"/ops/reviews/{application.pk}/").content.decode(),
            client_as(operator).get(f"/ops/reviews/{application.pk}/").content.decode(),
            client_as(operator).get("/ops/reviews/").content.decode(),
        ]

    assert not any(raw in value for value in every_text_value()), (
        "raw ID number stored in the database"
    )
    assert raw not in caplog.text
    assert not any(raw in page for page in pages)
    assert raw[:4] + "*" * 10 + raw[-4:] in pages[1]

    reviewer = client_as(operator)
    refused = reviewer.post(f"/ops/reviews/{application.pk}/reveal/", {"reason": ""})
    answer = reviewer.post(f"/ops/reviews/{application.pk}/reveal/", {"reason": "核对身份证扫描件"})
    revealed = answer.content.decode()
    again = reviewer.get(f"/ops/reviews/{application.pk}/").content.decode()
    # The full number is in that one answer, never cached and never kept in the session.
    from django.contrib.sessions.models import Session

    assert "no-store" in answer["Cache-Control"]
    assert not any(raw in str(s.get_decoded()) for s in Session.objects.all())
    supervisor_try = client_as(supervisor).post(
        f"/ops/reviews/{application.pk}/reveal/", {"reason": "x"}
    )

    assert refused.status_code == 302
    assert raw in revealed and raw not in again  # shown once, for the request that asked
    event = AuditEvent.objects.get(action="reveal")
    assert (event.actor, event.field, event.reason) == (operator, "id_number", "核对身份证扫描件")
    assert supervisor_try.status_code == 403
