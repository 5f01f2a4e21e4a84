"""Findings of the outside security probe (issue 13), each pinned by a test that failed before."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from qihub.complaints.models import Opinion

pytestmark = pytest.mark.django_db


def _cells(response):
    assert response.status_code == 200, response.status_code
    book = load_workbook(io.BytesIO(response.content))
    return [cell for row in book.active.iter_rows() for cell in row]


@pytest.mark.req("OPS-2")
@pytest.mark.parametrize(
    "typed",
    [
        '=HYPERLINK("http://evil.invalid/x","点击查看详情")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1,2)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_text_typed_by_anyone_is_never_a_live_formula_in_an_export(
    client, client_as, operator, typed
):
    """Finding 5: an anonymous opinion became a live formula in the staff's export."""
    client.post("/opinions/new/", {"kind": "suggestion", "content": typed, "contact": typed})
    assert Opinion.objects.count() == 1

    cells = _cells(client_as(operator).get("/ops/opinions/?export=xlsx"))

    assert not [c for c in cells if c.data_type == "f"]
    # The form strips surrounding white space; what is left is shown, escaped, never run.
    shown = [c.value for c in cells if c.value == "'" + typed.strip()]
    assert len(shown) == 1  # the content column


@pytest.mark.req("OPS-2")
def test_a_control_character_typed_anonymously_does_not_break_the_exports(
    client, client_as, operator
):
    """Finding 6 (stored breakage): \\x01 in an opinion, %00 in a search, made exports answer 500."""
    client.post("/opinions/new/", {"kind": "suggestion", "content": "意见\x01内容\x0b"})
    client.get("/search/", {"q": "不存在的检测项目\x01", "region": "\x00"})
    staff = client_as(operator)

    opinions = _cells(staff.get("/ops/opinions/?export=xlsx"))
    misses = _cells(staff.get("/ops/search-misses/?format=xlsx"))

    assert "意见内容" in [c.value for c in opinions]
    assert all("\x01" not in str(c.value) and "\x00" not in str(c.value) for c in opinions + misses)


@pytest.mark.req("OPS-2")
@pytest.mark.parametrize(
    "query, field",
    [
        ({"q": "x", "category": "bogus"}, "category"),
        ({"q": "x", "qualification": "bogus"}, "qualification"),
        ({"q": "x", "region": "\x00"}, "region"),
        ({"region": "32abc"}, "region"),
    ],
)
def test_a_bad_search_filter_in_the_api_is_a_422_naming_the_field(client, query, field):
    """Finding 6: an unknown category or qualification made the public search API answer 500."""
    response = client.get("/api/v1/institutions", query)

    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]


@pytest.mark.req("OPS-2")
@pytest.mark.parametrize(
    "url",
    [
        "/ops/calendar/0/",
        "/ops/calendar/99999/",
        "/ops/calendar/1899/",
        "/ops/demands/new/?visit=abc",
    ],
)
def test_odd_addresses_in_the_back_office_are_404_not_500(client_as, operator, url):
    """Finding 6: these answered 500."""
    assert client_as(operator).get(url).status_code == 404


@pytest.mark.req("OPS-2")
def test_marking_an_impossible_calendar_year_official_is_404(client_as, operator):
    response = client_as(operator).post("/ops/calendar/0/official/", {"source_document": "x"})
    assert response.status_code == 404


@pytest.mark.req("ACC-9")
def test_an_operator_can_neither_read_nor_plant_anyone_s_second_factor(client_as, operator, admin):
    """Finding 1: the operator read the admin's TOTP secret and planted a device for it."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    staff = client_as(operator)  # also gives the admin a device (as after a real log-in)
    client_as(admin)
    device = TOTPDevice.objects.get(user=admin)
    devices = TOTPDevice.objects.count()

    config = staff.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/")
    listing = staff.get("/admin/otp_totp/totpdevice/")
    planted = staff.post(
        "/admin/otp_totp/totpdevice/add/",
        {
            "user": admin.pk,
            "name": "x",
            "key": "3132333435363738393031323334353637383930",
            "step": 30,
            "t0": 0,
            "digits": 6,
            "tolerance": 1,
            "drift": 0,
            "confirmed": "on",
        },
    )

    assert config.status_code == 403 and device.key not in config.content.decode()
    assert listing.status_code == 403 and planted.status_code == 403
    assert TOTPDevice.objects.count() == devices


@pytest.mark.req("ACC-9")
def test_every_change_in_the_back_office_is_in_the_platform_audit_log(client_as, admin):
    from qihub.accounts.models import Station
    from qihub.core.models import AuditEvent

    response = client_as(admin).post(
        "/admin/accounts/station/add/",
        {"name": "新区服务站", "region": "", "address": "", "active": "on"},
    )

    station = Station.objects.get(name="新区服务站")
    assert response.status_code == 302
    row = AuditEvent.objects.get(action="admin_add", target_id=str(station.pk))
    assert row.actor == admin and row.target_type == "accounts.Station"


@pytest.mark.req("ACC-9")
@pytest.mark.parametrize("persona_name", ["station_staff", "expert"])
def test_station_staff_and_experts_log_in_with_a_second_factor(client, request, persona_name):
    """Finding 2: station staff (and experts) logged in with a password only."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from conftest import PASSWORD

    user = request.getfixturevalue(persona_name)
    device = TOTPDevice.objects.create(user=user, name="手机", confirmed=True)
    form = {"username": user.username, "password": PASSWORD}

    without = client.post("/accounts/login/", form)
    assert "须输入动态口令" in without.content.decode()
    assert "_auth_user_id" not in client.session
    right = client.post("/accounts/login/", {**form, "otp_token": f"{totp(device.bin_key):06d}"})
    assert right.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.req("ACC-9")
def test_a_station_staff_session_without_the_second_factor_is_ended(station_staff):
    from django.test import Client

    client = Client()
    client.force_login(station_staff)  # a password-only session, as before the fix

    response = client.get("/ops/demands/")

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.req("OPS-2")
def test_behind_the_proxy_nobody_can_lock_another_person_out_from_elsewhere(settings, operator):
    """Finding 4: five wrong passwords with a forged X-Forwarded-For locked the real user out."""
    from axes.models import AccessAttempt
    from django.test import Client

    from conftest import PASSWORD

    settings.QIHUB_PROXY_COUNT = 1
    attacker = Client(REMOTE_ADDR="127.0.0.1")  # every request arrives from the local proxy
    for _ in range(6):
        attacker.post(
            "/accounts/login/",
            {"username": "operator", "password": "wrong-guess"},
            # the client forged the first entry; the proxy appended the real address
            HTTP_X_FORWARDED_FOR="9.9.9.9, 8.8.4.4",
        )
    locked_attacker = attacker.post(
        "/accounts/login/",
        {"username": "operator", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="9.9.9.9, 8.8.4.4",
    )

    owner = Client(REMOTE_ADDR="127.0.0.1").post(
        "/accounts/login/",
        {"username": "operator", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="1.1.1.1",
    )

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"8.8.4.4"}
    assert locked_attacker.status_code == 429
    # The owner is not locked out: the form asks for the second factor, as for any staff log-in.
    assert owner.status_code == 200 and "动态口令" in owner.content.decode()


def _long_sheet(rows: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["类别", "对象", "项目", "标准", "限制"])
    for _ in range(rows):
        sheet.append(["检验检测", "电线", "绝缘电阻", "GB/T 3048", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.req("OPS-2")
def test_a_spreadsheet_of_many_rows_is_refused_early_and_named(client):
    """Finding 3: 300,000 rows sent anonymously cost 37 s of CPU; now the parse stops at the
    limit (2,000 lines, as the template offers) and the field says why."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/api/v1/registrations/institution",
        {"scope_file": SimpleUploadedFile("scope.xlsx", _long_sheet(60_000))},
    )

    assert response.status_code == 422
    assert "最多 2000 行" in response.json()["errors"]["scope_file"][0]


@pytest.mark.req("OPS-2")
@pytest.mark.parametrize(
    "name, method, url, data, allowed",
    [
        ("mobile_code", "post", "/register/mobile-code/", {"mobile": "13800000000"}, 5),
        ("registration", "post", "/api/v1/registrations/individual", {"username": "x"}, 10),
        ("registration", "post", "/register/individual/", {"username": "x"}, 10),
        ("opinion", "post", "/opinions/new/", {"kind": "suggestion", "content": "好"}, 10),
        ("search", "get", "/search/", {"q": "电能表"}, 120),
        ("search", "get", "/api/v1/institutions", {"q": "电能表"}, 120),
        # Guessing follow tokens of callers without an account (ADR 0012): 404s, then 429.
        ("follow", "get", "/follow/guessed-token/", {}, 30),
    ],
)
def test_anonymous_endpoints_answer_429_past_their_rate(
    db, client, settings, name, method, url, data, allowed
):
    """Finding 8: 25 mobile-code and 10 registration probes answered without any 429."""
    assert settings.QIHUB_RATES[name].startswith(f"{allowed}/")
    settings.RATELIMIT_ENABLE = True  # off for the rest of the suite (conftest)
    settings.QIHUB_RATES = {**settings.QIHUB_RATES, name: "3/h"}  # the same rule, fewer calls
    call = getattr(client, method)

    def payload(i):
        # A new number each time: the per-number resend pause is another, older rule.
        return {**data, "mobile": f"1380000000{i}"} if "mobile" in data else data

    answers = [call(url, payload(i)).status_code for i in range(4)]

    assert 429 not in answers[:3] and answers[3] == 429
    other = Client(REMOTE_ADDR="10.1.2.3")  # another address is not held back
    assert getattr(other, method)(url, payload(9)).status_code != 429


@pytest.mark.req("OPS-2")
def test_an_oversized_upload_is_refused_before_its_body_is_read(db, client, settings):
    """Finding 9: a 60 MB body was read whole, then refused."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.QIHUB_MAX_REQUEST_BYTES = 1024 * 1024
    settings.QIHUB_MAX_FILE_BYTES = 512 * 1024
    whole = client.post(
        "/api/v1/registrations/individual",
        {"id_scan": SimpleUploadedFile("id.pdf", b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024))},
    )
    part = client.post(
        "/register/individual/",
        {"id_scan": SimpleUploadedFile("id.pdf", b"%PDF-1.7\n" + b"0" * (700 * 1024))},
    )

    assert whole.status_code == 400 and part.status_code == 400
    assert "上传的文件可能过大" in part.content.decode()


@pytest.mark.req("OPS-2")
def test_the_data_directory_is_closed_to_other_users_of_the_machine(tmp_path):
    """Finding 9: the SQLite file was world-readable (0644). Checked as `qihub` starts up."""
    import os
    import stat
    import subprocess
    import sys

    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    env = {**os.environ, "QIHUB_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "qihub.settings"}
    subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, check=True, timeout=60
    )

    assert stat.S_IMODE(data.stat().st_mode) == 0o700


@pytest.mark.req("OPS-2")
def test_signed_in_pages_and_api_answers_are_not_cached(client_as, enterprise):
    """Finding 9: no authenticated page or API answer sent Cache-Control: no-store."""
    member = client_as(enterprise)

    for url in ("/accounts/workbench/", "/api/v1/demands"):
        response = member.get(url)
        assert response.status_code == 200 and "no-store" in response["Cache-Control"], url


@pytest.mark.req("OPS-3")
def test_an_unknown_api_address_answers_json(client):
    response = client.get("/api/v1/no-such-thing")

    assert response.status_code == 404 and response.json() == {"detail": "没有该接口"}


@pytest.mark.req("OPS-2")
def test_demo_data_cannot_be_loaded_in_production(db, settings):
    from django.core.management import CommandError, call_command

    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产模式"):
        call_command("seed-demo")


@pytest.mark.req("ACC-1")
@pytest.mark.parametrize("password, ok", [("correcthorse", False), ("correcthorse7", True)])
def test_a_members_password_mixes_at_least_two_kinds_of_character(client, password, ok):
    from qihub.onboarding.tests import helpers

    response = client.post(
        "/register/individual/",
        {**helpers.individual(), "password": password, "password_again": password},
    )
    text = response.content.decode()

    assert ("须包含字母、数字、符号中的至少两类" in text) is not ok


@pytest.mark.req("ACC-2")
def test_a_staff_read_of_a_file_is_audited_with_what_the_file_is(client_as, operator, enterprise):
    """Finding 9: every staff view of a file was audited as "注册审核", reports included."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from qihub.accounts.models import Document
    from qihub.accounts.uploads import upload_batch
    from qihub.core.models import AuditEvent

    with upload_batch() as batch:
        report = Document.objects.create(
            owner=enterprise,
            kind="supporting",
            **batch.store(SimpleUploadedFile("BG.pdf", b"%PDF-1.7\n%%EOF", "application/pdf")),
        )

    assert client_as(operator).get(f"/documents/{report.pk}/").status_code == 200
    row = AuditEvent.objects.get(action="view_document", target_id=str(report.pk))
    assert row.reason == "查看其他证明材料"
