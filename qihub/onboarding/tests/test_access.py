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

REVIEW_READERS = {"operator", "supervisor", "admin"}


@pytest.fixture
def application(client, db):
    helpers.submit(client, "individual", helpers.individual())
    return Application.objects.get()


def expected_status(url_kind: str, name: str) -> int:
    if name == "visitor":
        return {"public": 200, "api_me": 401}.get(url_kind, 302)
    if url_kind == "public":
        return 200
    if url_kind == "status":
        return 302  # members without an application are sent to choose a registration type
    if url_kind == "api_me":
        return 404
    if url_kind == "document":
        return 200 if name in REVIEW_READERS else 404
    return 200 if name in REVIEW_READERS else 403


@pytest.mark.req("ACC-9")
@pytest.mark.parametrize("persona", ALL_PERSONAS, indirect=True)
@pytest.mark.parametrize(
    ("url_kind", "url"),
    [
        ("public", "/register/"),
        ("public", "/register/enterprise/"),
        ("status", "/register/status/"),
        ("queue", "/ops/reviews/"),
        ("review", "/ops/reviews/{pk}/"),
        ("document", "/documents/{document}/"),
        ("api_me", "/api/v1/registrations/me"),
    ],
)
def test_permission_matrix(persona, client_as, application, url_kind, url):
    name, user = persona
    document = application.documents.get()

    response = client_as(user).get(url.format(pk=application.pk, document=document.pk))

    assert response.status_code == expected_status(url_kind, name), (name, url)


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
def test_a_staff_session_ends_after_thirty_idle_minutes(client_as, operator, enterprise):
    start = dt.datetime.now(dt.UTC)
    staff, member = client_as(operator), client_as(enterprise)
    with time_machine.travel(start, tick=False):
        assert staff.get("/ops/reviews/").status_code == 200
        member.get("/accounts/workbench/")
    with time_machine.travel(start + dt.timedelta(minutes=29), tick=False):
        assert staff.get("/ops/reviews/").status_code == 200
    with time_machine.travel(start + dt.timedelta(minutes=60), tick=False):
        timed_out = staff.get("/ops/reviews/")
        member_page = member.get("/accounts/workbench/")

    assert timed_out.status_code == 302 and timed_out["Location"].startswith("/accounts/login/")
    assert member_page.status_code == 200  # members are not held to the staff rule


@pytest.mark.req("ACC-9")
def test_staff_passwords_need_three_character_classes(client_as, admin):
    form = {"username": "new_operator", "role": "operator", "display_name": "",
            "password1": "simplepassword2026", "password2": "simplepassword2026",
            "usable_password": "true"}  # fmt: skip

    weak = client_as(admin).post("/admin/accounts/user/add/", form)
    strong = client_as(admin).post("/admin/accounts/user/add/", {
        **form, "password1": "Strong-pass-2026", "password2": "Strong-pass-2026"})  # fmt: skip

    assert "至少三类" in weak.content.decode()
    assert strong.status_code == 302


def every_text_value() -> list[str]:
    values = []
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.fields
                  if isinstance(f, models.CharField | models.TextField | models.JSONField)]  # fmt: skip
        for row in model.objects.values_list(*fields) if fields else []:
            values += [str(v) for v in row if v]
    return values


@pytest.mark.req("ACC-2")
def test_the_raw_id_number_is_nowhere_but_in_an_audited_reveal(client, db, client_as, operator,
                                                                supervisor, caplog):  # fmt: skip
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
    reviewer.post(f"/ops/reviews/{application.pk}/reveal/", {"reason": "核对身份证扫描件"})
    revealed = reviewer.get(f"/ops/reviews/{application.pk}/").content.decode()
    again = reviewer.get(f"/ops/reviews/{application.pk}/").content.decode()
    supervisor_try = client_as(supervisor).post(
        f"/ops/reviews/{application.pk}/reveal/", {"reason": "x"}
    )

    assert refused.status_code == 302
    assert raw in revealed and raw not in again  # shown once, for the request that asked
    event = AuditEvent.objects.get(action="reveal")
    assert (event.actor, event.field, event.reason) == (operator, "id_number", "核对身份证扫描件")
    assert supervisor_try.status_code == 403
