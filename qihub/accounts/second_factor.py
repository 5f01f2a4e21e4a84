"""动态口令验证器 (ACC-9): the owner's own TOTP authenticators.

Every signed-in user may keep authenticators here: staff must (they log in with one), clients
may (an enterprise or person needs one to sign an agency entrustment online, DEM-11; their log-in
stays password-only). Only the owner manages them here (superusers also in the Django admin). Every step needs the
owner's identity again: the password (through Django's `authenticate`, so django-axes counts
failures as on the log-in page) and a current code from a confirmed authenticator. A new
authenticator is created unconfirmed — it cannot log in (`check_second_factor` reads confirmed
devices only) — and confirmed by a code from it within `PENDING_MINUTES`; a newer attempt
replaces an unconfirmed one. Every add, confirm and remove writes one audit row and tells the
owner (inbox and SMS), so a change they did not make is noticed.
"""

import base64
import io
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from qihub.core.audit import record
from qihub.notifications.models import Channel

PENDING_MINUTES = 10
DEFAULT_NAME = "动态口令验证器"
CHANNELS = (Channel.INBOX, Channel.SMS)


@dataclass(frozen=True)
class NewSecret:
    """Shown once, in the answer that created the device; never stored outside the device."""

    device: TOTPDevice
    key: str
    uri: str
    qr: str


def confirmed_devices(user: Any) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("created_at", "pk"))


def pending_device(user: Any) -> TOTPDevice | None:
    """The unconfirmed authenticator still waiting for its first code, if not expired."""
    since = timezone.now() - timedelta(minutes=PENDING_MINUTES)
    return (
        TOTPDevice.objects.filter(user=user, confirmed=False, created_at__gte=since)
        .order_by("-created_at")
        .first()
    )


def may_start_without_code(user: Any) -> bool:
    """A client adding their first authenticator has no code to give yet: the password alone
    proves them, as it does at log-in. Staff never (their first one is set by the admin)."""
    return not user.needs_second_factor and not confirmed_devices(user)


def check_identity(
    request: HttpRequest, user: Any, password: str, code: str, *, first: bool = False
) -> TOTPDevice | None:
    """The owner again: password, then a current code of a confirmed authenticator. Returns the
    device the code came from (None for a client's first authenticator, `first`); raises
    ValidationError with {field: message}."""
    if not password:
        raise ValidationError({"password": "登录密码：必须填写"})
    checked = authenticate(request=request, username=user.get_username(), password=password)
    if checked is None or checked.pk != user.pk:
        if getattr(request, "axes_locked_out", False):
            raise ValidationError({"password": "登录密码：失败次数过多，账户已暂时锁定 30 分钟"})
        raise ValidationError({"password": "登录密码：不正确"})
    if first and may_start_without_code(user):
        return None
    code = (code or "").strip()
    if not code:
        raise ValidationError({"code": "当前动态口令：必须填写（验证器中的 6 位数字）"})
    for device in confirmed_devices(user):
        if device.verify_token(code):
            return device
    raise ValidationError(
        {"code": "当前动态口令：不正确或已过期，请输入验证器中当前显示的 6 位数字"}
    )


def _qr_svg(uri: str) -> str:
    import qrcode
    from qrcode.image.svg import SvgPathImage

    image = qrcode.make(uri, image_factory=SvgPathImage, box_size=8, border=2)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def _tell_owner(user: Any, subject: str, body: str) -> None:
    from qihub.notifications.outbox import notify

    notify([user], subject, body, channels=CHANNELS, urgent=True)


@transaction.atomic
def start(user: Any, *, actor: Any, name: str) -> NewSecret:
    """A new unconfirmed authenticator for `user`, replacing any unconfirmed one."""
    for old in TOTPDevice.objects.filter(user=user, confirmed=False):
        record(actor, "totp_remove", old, reason="未确认的验证器被新的添加取代")
        old.delete()
    device = TOTPDevice.objects.create(user=user, name=name or DEFAULT_NAME, confirmed=False)
    record(actor, "totp_add", device, reason=f"添加验证器“{device.name}”（待确认）")
    _tell_owner(
        user,
        "您的账户正在添加新的动态口令验证器",
        f"您的账户添加了动态口令验证器“{device.name}”，确认后方可用于登录。"
        "如非本人操作，请立即修改密码并联系系统管理员。",
    )
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return NewSecret(device=device, key=key, uri=device.config_url, qr=_qr_svg(device.config_url))


@transaction.atomic
def confirm(user: Any, device: TOTPDevice, code: str, *, actor: Any, remove_old: bool) -> None:
    """The first code of the new authenticator makes it usable; optionally the old ones go."""
    code = (code or "").strip()
    if not code:
        raise ValidationError({"code": "新验证器的动态口令：必须填写"})
    if not device.verify_token(code):
        raise ValidationError(
            {"code": "新验证器的动态口令：不正确或已过期，请输入新验证器中当前显示的 6 位数字"}
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(actor, "totp_confirm", device, reason=f"确认验证器“{device.name}”")
    removed = []
    if remove_old:
        for old in TOTPDevice.objects.filter(user=user).exclude(pk=device.pk):
            removed.append(old.name)
            record(actor, "totp_remove", old, reason=f"更换验证器时移除“{old.name}”")
            old.delete()
    body = f"动态口令验证器“{device.name}”已确认，可用于登录。"
    if removed:
        body += f"已移除原验证器：{'、'.join(removed)}。"
    _tell_owner(
        user,
        "您的动态口令验证器已更换" if removed else "您的账户已添加动态口令验证器",
        body + "如非本人操作，请立即修改密码并联系系统管理员。",
    )


def refuse_last(user: Any, device: TOTPDevice) -> None:
    """A staff-side account keeps at least one confirmed authenticator; a client may remove
    their last one (they log in without it)."""
    if user.needs_second_factor and device.confirmed and len(confirmed_devices(user)) <= 1:
        raise ValidationError(
            {"device": "不能移除唯一的验证器：工作人员账户必须保留一个动态口令验证器"}
        )


@transaction.atomic
def remove(user: Any, device: TOTPDevice, *, actor: Any) -> None:
    """Remove one authenticator; never the last confirmed one."""
    refuse_last(user, device)
    record(actor, "totp_remove", device, reason=f"移除验证器“{device.name}”")
    name = device.name
    device.delete()
    _tell_owner(
        user,
        "您的账户已移除一个动态口令验证器",
        f"动态口令验证器“{name}”已从您的账户移除。如非本人操作，请立即修改密码并联系系统管理员。",
    )
