"""Apps and mini-programs log in for tokens and use the whole API without a cookie (OPS-3)."""

import datetime as dt
import io

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from qihub.accounts.models import AppDevice
from qihub.orders.models import Order
from qihub.orders.tests.test_orders import service
from qihub.orders.tests.test_reports import institution_pdf

PIPE = {
    "category": "testing",
    "title": "PE 给水管静液压强度检测",
    "description": "我司生产 PE 给水管，需要按 GB/T 6111-2018 做静液压强度检测，出具 CMA 报告",
    "product": "塑料管材",
    "standard": "GB/T 6111-2018",
    "region": "320211",
}


class App:
    """A phone app: a fresh client that never holds a cookie, only its bearer token."""

    def __init__(self, username: str, otp_token: str = "", device: str = "测试手机") -> None:
        self.client = Client()
        self.login = self.client.post(
            "/api/v1/auth/token",
            {
                "username": username,
                "password": PASSWORD,
                "otp_token": otp_token,
                "device_name": device,
            },
        )
        self.tokens = self.login.json() if self.login.status_code == 200 else {}

    def headers(self) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.tokens['access']}"}

    def get(self, path: str, **extra):
        return self.client.get(path, **self.headers(), **extra)

    def post(self, path: str, data: dict | None = None):
        return self.client.post(path, data or {}, **self.headers())


def code_for(user) -> str:
    device = TOTPDevice.objects.get_or_create(user=user, name="手机", confirmed=True)[0]
    return f"{totp(device.bin_key):06d}"


def pdf_upload() -> io.BytesIO:
    out = io.BytesIO(institution_pdf())
    out.name = "report.pdf"
    return out


@pytest.mark.req("OPS-3")
def test_a_whole_order_journey_runs_on_tokens_alone_without_any_cookie(company, labs, operator):
    lab = labs["无锡塑料制品检验所"]
    lab.account.set_password(PASSWORD)
    lab.account.save()
    item = service(lab)
    ent = App("pipe_maker")
    desk = App("operator", otp_token=code_for(operator))
    lab_app = App(lab.account.username)

    published = ent.post("/api/v1/demands", PIPE)
    number = published.json()["number"]
    version = desk.get(f"/api/v1/demands/{number}").json()["version"]
    responded = desk.post(f"/api/v1/demands/{number}/respond", {"version": version})
    sent = desk.post(
        f"/api/v1/demands/{number}/recommendation/send", {"version": responded.json()["version"]}
    )
    shortlist = ent.get(f"/api/v1/demands/{number}").json()["recommendation"]["institutions"]
    placed = ent.post(
        "/api/v1/orders",
        {"service": item.pk, "description": "PE 管", "quantity": 1, "demand": number},
    )
    order = placed.json()["number"]
    confirmed = lab_app.post(
        f"/api/v1/orders/{order}/confirm", {"version": placed.json()["version"]}
    )
    issued = lab_app.post(
        f"/api/v1/orders/{order}/report",
        {
            "version": confirmed.json()["version"],
            "conclusion": "所检项目符合 GB/T 6111-2018 要求",
            "report": pdf_upload(),
        },
    )
    download = ent.get(f"/api/v1/orders/{order}/report.pdf")
    someone_else = desk.get("/api/v1/orders/DD-2099-000001/report.pdf")

    for app in (ent, desk, lab_app):
        assert app.login.status_code == 200, app.login.content.decode()
        assert set(app.tokens) == {"access", "refresh", "access_expires_at"}
        assert settings.SESSION_COOKIE_NAME not in app.client.cookies
        assert "csrftoken" not in app.client.cookies
    assert published.status_code == 201
    assert responded.status_code == 200 and sent.status_code == 200
    assert lab.name in [i["name"] for i in shortlist]
    assert placed.status_code == 201 and placed.json()["demand"] == number
    assert confirmed.status_code == 200, confirmed.content.decode()
    assert issued.status_code == 200 and issued.json()["status"] == "completed"
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert someone_else.status_code == 404 and "没有该订单" in someone_else.json()["detail"]
    # The workflow saw the token's users as the actors.
    assert Order.objects.get(number=order).client == company
    assert "no-store" in download["Cache-Control"]


@pytest.mark.req("OPS-3")
def test_staff_get_a_token_only_with_their_second_factor(operator):
    without = App("operator")
    wrong = App("operator", otp_token="000000")
    code_for(operator)  # the device now exists, so "without" is about the missing code
    missing = App("operator")
    right = App("operator", otp_token=code_for(operator))

    assert without.login.status_code == 401 and "尚未绑定动态口令" in without.login.json()["detail"]
    assert wrong.login.status_code == 401
    assert missing.login.status_code == 401 and "须输入动态口令" in missing.login.json()["detail"]
    assert right.login.status_code == 200
    assert right.get("/api/v1/orders").status_code == 200


@pytest.mark.req("OPS-3")
@pytest.mark.req("OPS-2")
def test_a_wrong_password_is_a_chinese_401_and_counts_toward_the_lockout(enterprise):
    client = Client()
    wrong = {"username": "enterprise", "password": "wrong-password"}

    first = client.post("/api/v1/auth/token", wrong)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/api/v1/auth/token", wrong)
    locked = client.post("/api/v1/auth/token", {"username": "enterprise", "password": PASSWORD})

    assert first.status_code == 401 and first.json()["detail"] == "用户名或密码不正确"
    assert AccessAttempt.objects.get(username="enterprise").failures_since_start >= 5
    assert locked.status_code == 429 and "锁定" in locked.content.decode()
    assert not AppDevice.objects.exists()


@pytest.mark.req("OPS-3")
def test_inactive_accounts_get_no_token(enterprise):
    enterprise.is_active = False
    enterprise.save()

    app = App("enterprise")

    assert app.login.status_code == 401 and not app.tokens


@pytest.mark.req("OPS-3")
def test_refresh_rotates_and_the_old_refresh_token_stops_working(enterprise):
    app = App("enterprise")
    old = app.tokens["refresh"]

    renewed = app.client.post("/api/v1/auth/refresh", {"refresh": old})
    again = app.client.post("/api/v1/auth/refresh", {"refresh": old})
    app.tokens = renewed.json()

    assert renewed.status_code == 200 and renewed.json()["refresh"] != old
    assert again.status_code == 401 and "刷新令牌" in again.json()["detail"]
    assert app.get("/api/v1/orders").status_code == 200
    assert AppDevice.objects.get().refreshed_at is not None


@pytest.mark.req("OPS-3")
def test_after_logout_neither_refresh_nor_access_token_works(enterprise):
    app = App("enterprise")

    out = app.client.post("/api/v1/auth/logout", {"refresh": app.tokens["refresh"]})
    refresh = app.client.post("/api/v1/auth/refresh", {"refresh": app.tokens["refresh"]})
    orders = app.get("/api/v1/orders")

    assert out.status_code == 200
    assert refresh.status_code == 401
    assert orders.status_code == 401 and "退出登录" in orders.json()["detail"]


@pytest.mark.req("OPS-3")
def test_a_revoked_device_is_out_at_once_by_api_and_by_page(client_as, enterprise, individual):
    phone, tablet = App("enterprise", device="华为手机"), App("enterprise", device="平板")
    listed = phone.get("/api/v1/auth/devices").json()
    tablet_id = next(d["id"] for d in listed if d["name"] == "平板")
    phone_id = next(d["id"] for d in listed if d["name"] == "华为手机")
    not_mine = App("individual").post(f"/api/v1/auth/devices/{tablet_id}/revoke")

    revoked = phone.post(f"/api/v1/auth/devices/{tablet_id}/revoke")
    tablet_refresh = tablet.client.post(
        "/api/v1/auth/refresh", {"refresh": tablet.tokens["refresh"]}
    )
    browser = client_as(enterprise)
    page = browser.get("/accounts/devices/").content.decode()
    by_page = browser.post(f"/accounts/devices/{phone_id}/revoke/")
    phone_refresh = phone.client.post("/api/v1/auth/refresh", {"refresh": phone.tokens["refresh"]})

    assert [d["current"] for d in listed if d["id"] == phone_id] == [True]
    assert not_mine.status_code == 404
    assert revoked.status_code == 200
    assert tablet_refresh.status_code == 401 and tablet.get("/api/v1/orders").status_code == 401
    assert "华为手机" in page and "平板" not in page and "data-confirm" in page
    assert by_page.status_code == 302
    assert phone_refresh.status_code == 401 and phone.get("/api/v1/orders").status_code == 401


@pytest.mark.req("OPS-3")
def test_an_expired_access_token_is_refused_and_staff_tokens_are_shorter(enterprise, operator):
    app = App("enterprise")
    desk = App("operator", otp_token=code_for(operator))
    now = dt.datetime.now(dt.UTC)

    with time_machine.travel(now + dt.timedelta(minutes=20), tick=False):
        ent_at_20, desk_at_20 = app.get("/api/v1/orders"), desk.get("/api/v1/orders")
    with time_machine.travel(now + dt.timedelta(minutes=31), tick=False):
        ent_at_31 = app.get("/api/v1/orders")
        renewed = app.client.post("/api/v1/auth/refresh", {"refresh": app.tokens["refresh"]})

    assert ent_at_20.status_code == 200
    assert desk_at_20.status_code == 401 and "已过期" in desk_at_20.json()["detail"]
    assert ent_at_31.status_code == 401
    assert renewed.status_code == 200  # the refresh token outlives the access token


@pytest.mark.req("OPS-3")
def test_a_token_is_accepted_only_in_the_authorization_header(enterprise):
    app = App("enterprise")
    access = app.tokens["access"]

    in_query = app.client.get(f"/api/v1/orders?access_token={access}&token={access}")
    refresh_as_access = app.client.get(
        "/api/v1/orders", HTTP_AUTHORIZATION=f"Bearer {app.tokens['refresh']}"
    )
    forged = app.client.get("/api/v1/orders", HTTP_AUTHORIZATION=f"Bearer {access[:-4]}AAAA")
    nothing = app.client.get("/api/v1/orders")

    for refused in (in_query, refresh_as_access, forged, nothing):
        assert refused.status_code == 401
        assert any("\u4e00" <= ch <= "\u9fff" for ch in refused.json()["detail"])


@pytest.mark.req("OPS-3")
def test_a_token_post_needs_no_csrf_token_but_a_session_post_still_does(company):
    app = App("pipe_maker")
    csrf_checked = Client(enforce_csrf_checks=True)
    csrf_checked.force_login(company)

    with_token = Client(enforce_csrf_checks=True).post(
        "/api/v1/demands", PIPE, HTTP_AUTHORIZATION=f"Bearer {app.tokens['access']}"
    )
    with_session = csrf_checked.post("/api/v1/demands", PIPE)

    assert with_token.status_code == 201, with_token.content.decode()
    assert with_session.status_code == 403
