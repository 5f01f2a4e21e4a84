"""动态口令验证器 (ACC-9): the owner replaces and removes their TOTP authenticators."""

import base64
import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from qihub.core.models import AuditEvent
from qihub.notifications.models import Channel, Notification

PAGE = "/accounts/second-factor/"
ADD = "/accounts/second-factor/add/"
CONFIRM = "/accounts/second-factor/confirm/"
T0 = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)


def code(key: bytes) -> str:
    return f"{totp(key):06d}"


def wrong(key: bytes) -> str:
    return f"{(int(code(key)) + 500_000) % 1_000_000:06d}"


def logs_in(username: str, otp_token: str) -> bool:
    client = Client()
    client.post(
        "/accounts/login/", {"username": username, "password": PASSWORD, "otp_token": otp_token}
    )
    return "_auth_user_id" in client.session


@pytest.mark.req("ACC-9")
def test_the_owner_replaces_the_authenticator_through_the_page(client_as, operator):
    with time_machine.travel(T0, tick=False) as clock:
        client = client_as(operator)
        old = TOTPDevice.objects.get(user=operator)
        old_key = old.bin_key
        page = client.get(PAGE).content.decode()
        assert "测试" in page and old.key not in page
        assert base64.b32encode(old_key).decode().rstrip("=") not in page

        bad_password = client.post(
            ADD, {"name": "新手机", "password": "wrong-Passw0rd", "code": code(old_key)}
        )
        bad_code = client.post(
            ADD, {"name": "新手机", "password": PASSWORD, "code": wrong(old_key)}
        )
        assert "登录密码：不正确" in bad_password.content.decode()
        assert "当前动态口令：不正确" in bad_code.content.decode()
        assert TOTPDevice.objects.filter(user=operator).count() == 1

        clock.shift(60)
        added = client.post(ADD, {"name": "新手机", "password": PASSWORD, "code": code(old_key)})
        new = TOTPDevice.objects.get(user=operator, confirmed=False)
        secret = base64.b32encode(new.bin_key).decode().rstrip("=")
        shown = added.content.decode()
        assert added.status_code == 200 and secret in shown
        assert "otpauth://totp/" in shown and 'src="data:image/svg+xml;base64,' in shown
        # The QR code is an image, not inline markup: the page stays within the CSP.
        assert " style=" not in shown and "<style" not in shown
        assert not re.search(r"<script(?![^>]*\bsrc=)", shown)
        again = client.get(PAGE).content.decode()
        assert secret not in again and new.key not in again and "确认新验证器" in again
        assert not logs_in("operator", code(new.bin_key))  # unconfirmed: no log-in

        clock.shift(60)
        refused = client.post(CONFIRM, {"code": wrong(new.bin_key), "remove_old": "on"})
        assert "新验证器的动态口令：不正确" in refused.content.decode()
        new.refresh_from_db()
        assert not new.confirmed

        clock.shift(60)
        confirmed = client.post(CONFIRM, {"code": code(new.bin_key), "remove_old": "on"})
        assert confirmed.status_code == 302
        assert list(TOTPDevice.objects.filter(user=operator)) == [new]
        # The session now rests on the new authenticator, so it stays signed in.
        assert client.get(PAGE).status_code == 200

        clock.shift(60)
        assert not logs_in("operator", code(old_key))
        clock.shift(60)  # a refused code holds the account's authenticators back a moment
        assert logs_in("operator", code(new.bin_key))

    rows = AuditEvent.objects.filter(target_type="otp_totp.TOTPDevice").order_by("pk")
    assert [(r.action, r.target_id, r.actor) for r in rows] == [
        ("totp_add", str(new.pk), operator),
        ("totp_confirm", str(new.pk), operator),
        ("totp_remove", str(old.pk), operator),
    ]
    told = Notification.objects.filter(recipient=operator)
    assert sorted(told.values_list("channel", flat=True)) == sorted(
        [Channel.INBOX, Channel.SMS] * 2
    )
    assert told.filter(subject="您的动态口令验证器已更换").count() == 2


@pytest.mark.req("ACC-9")
def test_keeping_the_old_authenticator_leaves_both_usable(client_as, expert):
    with time_machine.travel(T0, tick=False) as clock:
        client = client_as(expert)
        old = TOTPDevice.objects.get(user=expert)
        client.post(ADD, {"name": "", "password": PASSWORD, "code": code(old.bin_key)})
        new = TOTPDevice.objects.get(user=expert, confirmed=False)
        clock.shift(60)
        client.post(CONFIRM, {"code": code(new.bin_key)})  # box unticked
        assert TOTPDevice.objects.filter(user=expert, confirmed=True).count() == 2
        assert new.name and new.name in client.get(PAGE).content.decode()
        clock.shift(60)
        assert logs_in("expert", code(old.bin_key))


@pytest.mark.req("ACC-9")
def test_an_unconfirmed_authenticator_expires_and_is_replaced(client_as, station_staff):
    with time_machine.travel(T0, tick=False) as clock:
        client = client_as(station_staff)
        old = TOTPDevice.objects.get(user=station_staff)
        client.post(ADD, {"name": "A", "password": PASSWORD, "code": code(old.bin_key)})
        first = TOTPDevice.objects.get(user=station_staff, confirmed=False)

        clock.shift(11 * 60)
        late = client.post(CONFIRM, {"code": code(first.bin_key)}, follow=True)
        assert "已超过有效时间" in late.content.decode()
        first.refresh_from_db()
        assert not first.confirmed

        client.post(ADD, {"name": "B", "password": PASSWORD, "code": code(old.bin_key)})
        second = TOTPDevice.objects.get(user=station_staff, confirmed=False)
        assert second.name == "B" and not TOTPDevice.objects.filter(pk=first.pk).exists()
        assert AuditEvent.objects.filter(
            action="totp_remove", target_id=str(first.pk), actor=station_staff
        ).exists()


@pytest.mark.req("ACC-9")
def test_the_last_authenticator_cannot_be_removed_and_others_need_the_kept_one(
    client_as, supervisor
):
    with time_machine.travel(T0, tick=False) as clock:
        client = client_as(supervisor)
        only = TOTPDevice.objects.get(user=supervisor)
        last = client.post(
            f"/accounts/second-factor/{only.pk}/remove/",
            {"password": PASSWORD, "code": code(only.bin_key)},
        )
        assert last.status_code == 200 and "不能移除唯一的验证器" in last.content.decode()
        assert TOTPDevice.objects.filter(pk=only.pk).exists()

        spare = TOTPDevice.objects.create(user=supervisor, name="备用手机", confirmed=True)
        own_code = client.post(
            f"/accounts/second-factor/{spare.pk}/remove/",
            {"password": PASSWORD, "code": code(spare.bin_key)},
        )
        assert "请输入保留的验证器中的动态口令" in own_code.content.decode()
        clock.shift(60)
        removed = client.post(
            f"/accounts/second-factor/{spare.pk}/remove/",
            {"password": PASSWORD, "code": code(only.bin_key)},
        )
        assert removed.status_code == 302
        assert list(TOTPDevice.objects.filter(user=supervisor)) == [only]
        assert client.get(PAGE).status_code == 200
        row = AuditEvent.objects.get(action="totp_remove", target_id=str(spare.pk))
        assert row.actor == supervisor
        assert (
            Notification.objects.filter(
                recipient=supervisor, subject="您的账户已移除一个动态口令验证器"
            ).count()
            == 2
        )


@pytest.mark.req("ACC-9")
@pytest.mark.parametrize("name", ["individual", "enterprise", "institution"])
def test_members_add_and_remove_their_own_authenticator_with_the_password(client_as, request, name):
    member = request.getfixturevalue(name)
    with time_machine.travel(T0, tick=False) as clock:
        client = client_as(member)
        page = client.get(PAGE).content.decode()
        assert "尚未添加验证器" in page and "登录仍只需密码" in page
        assert "现有验证器中的动态口令" not in page  # nothing to give a code from yet
        refused = client.post(ADD, {"name": "手机", "password": "wrong-Passw0rd"})
        assert "登录密码：不正确" in refused.content.decode()
        assert not TOTPDevice.objects.filter(user=member).exists()

        clock.shift(60)
        client.post(ADD, {"name": "手机", "password": PASSWORD})
        device = TOTPDevice.objects.get(user=member, confirmed=False)
        clock.shift(60)
        assert client.post(CONFIRM, {"code": code(device.bin_key)}).status_code == 302
        device.refresh_from_db()
        assert device.confirmed
        # A member's log-in stays password-only.
        plain = Client()
        plain.post("/accounts/login/", {"username": member.username, "password": PASSWORD})
        assert "_auth_user_id" in plain.session

        # A second one now needs the current code, as for staff.
        clock.shift(60)
        again = client.post(ADD, {"name": "平板", "password": PASSWORD, "code": ""})
        assert "当前动态口令：必须填写" in again.content.decode()

        # A member may remove their only authenticator (with its code).
        clock.shift(60)
        removed = client.post(
            f"/accounts/second-factor/{device.pk}/remove/",
            {"password": PASSWORD, "code": code(device.bin_key)},
        )
        assert removed.status_code == 302
        assert not TOTPDevice.objects.filter(user=member).exists()


@pytest.mark.req("ACC-9")
def test_visitors_are_sent_to_log_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.req("ACC-9")
def test_someone_else_s_authenticator_cannot_be_removed(client_as, operator, supervisor):
    client_as(supervisor)
    theirs = TOTPDevice.objects.get(user=supervisor)
    client = client_as(operator)
    response = client.post(
        f"/accounts/second-factor/{theirs.pk}/remove/", {"password": PASSWORD, "code": "1"}
    )
    assert response.status_code == 302 and TOTPDevice.objects.filter(pk=theirs.pk).exists()


@pytest.mark.req("ACC-9")
def test_a_superuser_resets_a_locked_out_staff_member_s_authenticator_in_the_admin(
    client_as, admin, station_staff, operator
):
    client_as(station_staff)
    lost = TOTPDevice.objects.get(user=station_staff)
    superuser = client_as(admin)

    assert (
        client_as(operator)
        .post(f"/admin/otp_totp/totpdevice/{lost.pk}/delete/", {"post": "yes"})
        .status_code
        == 403
    )
    deleted = superuser.post(f"/admin/otp_totp/totpdevice/{lost.pk}/delete/", {"post": "yes"})
    added = superuser.post(
        "/admin/otp_totp/totpdevice/add/",
        {
            "user": station_staff.pk,
            "name": "补办",
            "key": "3132333435363738393031323334353637383930",
            "step": 30,
            "t0": 0,
            "digits": 6,
            "tolerance": 1,
            "drift": 0,
            "throttling_failure_count": 0,
            "confirmed": "on",
        },
    )

    assert deleted.status_code == 302
    assert added.status_code == 302, added.context["adminform"].form.errors
    fresh = TOTPDevice.objects.get(user=station_staff)
    assert fresh.name == "补办" and fresh.pk != lost.pk
    assert logs_in("station_staff", code(fresh.bin_key))
    actions = set(
        AuditEvent.objects.filter(actor=admin, target_type="otp_totp.TOTPDevice").values_list(
            "action", flat=True
        )
    )
    assert actions == {"admin_add", "admin_delete"}
