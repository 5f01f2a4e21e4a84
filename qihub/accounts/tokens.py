"""Tokens for apps and mini-programs (OPS-3), on django-ninja-jwt.

A log-in from an app creates one `AppDevice` and a pair of tokens: a short access token (as
long as a session of the same role may sit idle) and a refresh token that is the device's
log-in. Every refresh rotates the refresh token and blacklists the old one; logging out or
revoking the device blacklists the newest one, so its chain ends at once. Access tokens name
their device, and a request with an access token of a revoked device is refused too, so a
revocation does not wait for the access token to run out.

The refresh token's text is not stored (the library's `for_user` would keep it in
`OutstandingToken.token`): a copy of the database must not be a set of working log-ins.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import django_auth
from ninja_jwt.authentication import JWTAuth
from ninja_jwt.exceptions import AuthenticationFailed, TokenError
from ninja_jwt.settings import api_settings
from ninja_jwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from ninja_jwt.tokens import RefreshToken
from ninja_jwt.utils import datetime_from_epoch

from qihub.accounts.forms import check_second_factor
from qihub.accounts.models import AppDevice

JTI: str = api_settings.JTI_CLAIM or "jti"
USER_ID: str = api_settings.USER_ID_CLAIM
DEVICE_CLAIM = "device"
# Set only on tokens issued after the TOTP code was checked; a user whose role later becomes
# staff-side must log in again with the second factor.
SECOND_FACTOR_CLAIM = "otp"
UNNAMED_DEVICE = "未命名设备"


class TokenRefused(AuthenticationError):
    """401 with a Chinese message; raised from the bearer check, answered by the API."""

    def __init__(self, message: str, status_code: int = 401) -> None:
        super().__init__(status_code=status_code, message=message)


def access_lifetime(user: Any) -> timedelta:
    seconds = (
        settings.QIHUB_STAFF_IDLE_SECONDS
        if user.needs_second_factor
        else settings.QIHUB_IDLE_SECONDS
    )
    return timedelta(seconds=seconds)


def _pair(refresh: RefreshToken, user: Any) -> dict[str, str]:
    access = refresh.access_token
    # The library gives every access token one lifetime; ours follows the role's idle limit.
    access.set_exp(from_time=refresh.current_time, lifetime=access_lifetime(user))
    expires = datetime_from_epoch(access["exp"])
    return {
        "access": str(access),
        "refresh": str(refresh),
        "access_expires_at": timezone.localtime(expires).isoformat(),
    }


def _new_refresh(user: Any, device_id: int | None) -> RefreshToken:
    refresh = RefreshToken()
    refresh[USER_ID] = user.pk
    if device_id is not None:
        refresh[DEVICE_CLAIM] = device_id
    if user.needs_second_factor:
        refresh[SECOND_FACTOR_CLAIM] = True
    OutstandingToken.objects.create(
        user=user,
        jti=refresh[JTI],
        token="",  # see the module's docstring
        created_at=refresh.current_time,
        expires_at=datetime_from_epoch(refresh["exp"]),
    )
    return refresh


def _blacklist(jti: str) -> None:
    outstanding = OutstandingToken.objects.filter(jti=jti).first()
    if outstanding is not None:
        BlacklistedToken.objects.get_or_create(token=outstanding)


def obtain(request: HttpRequest, data: dict[str, str]) -> dict[str, str]:
    """Log an app in: password through Django's `authenticate` (so django-axes counts failures
    and locks out as on the page), then the staff second factor. Raises TokenRefused."""
    user = authenticate(request=request, username=data["username"], password=data["password"])
    if user is None:
        if getattr(request, "axes_locked_out", False):
            raise TokenRefused("登录失败次数过多，账户已暂时锁定，请 30 分钟后再试", 429)
        raise TokenRefused("用户名或密码不正确")
    if not user.is_active:
        raise TokenRefused("该账户已停用，请联系平台")
    try:
        check_second_factor(user, data.get("otp_token", ""))
    except ValidationError as exc:
        raise TokenRefused(exc.messages[0]) from exc
    name = (data.get("device_name") or "").strip() or UNNAMED_DEVICE
    with transaction.atomic():
        refresh = _new_refresh(user, None)
        device = AppDevice.objects.create(
            user=user,
            name=name,
            refresh_jti=refresh[JTI],
            expires_at=datetime_from_epoch(refresh["exp"]),
        )
        refresh[DEVICE_CLAIM] = device.pk
    # The same signal as a page log-in: last_login, axes' access log and its failure reset.
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        # Axes creates a session to hash into its access log; an app must not get a cookie.
        request.session.flush()
    return _pair(refresh, user)


def _read_refresh(raw: str) -> RefreshToken:
    try:
        return RefreshToken(raw)  # signature, expiry, type and blacklist
    except TokenError as exc:
        raise TokenRefused("刷新令牌无效、已过期或已注销，请重新登录") from exc


def rotate(raw: str) -> dict[str, str]:
    """A new pair for a valid refresh token; the old refresh token stops working."""
    old = _read_refresh(raw)
    with transaction.atomic():
        device = (
            AppDevice.objects.select_for_update()
            .select_related("user")
            .filter(pk=old.get(DEVICE_CLAIM), refresh_jti=old[JTI])
            .first()
        )
        if device is None or device.revoked_at is not None:
            raise TokenRefused("该设备已退出登录或被注销，请重新登录")
        user = device.user
        if not user.is_active:
            raise TokenRefused("该账户已停用，请联系平台")
        if user.needs_second_factor and not old.get(SECOND_FACTOR_CLAIM):
            raise TokenRefused("工作人员须使用动态口令重新登录")
        new = _new_refresh(user, device.pk)
        _blacklist(old[JTI])
        device.refresh_jti = new[JTI]
        device.refreshed_at = timezone.now()
        device.expires_at = datetime_from_epoch(new["exp"])
        device.save(update_fields=["refresh_jti", "refreshed_at", "expires_at"])
    return _pair(new, user)


def log_out(raw: str) -> None:
    """The app's 退出登录: its refresh token and its device end now."""
    token = _read_refresh(raw)
    with transaction.atomic():
        _blacklist(token[JTI])
        AppDevice.objects.filter(pk=token.get(DEVICE_CLAIM), refresh_jti=token[JTI]).update(
            revoked_at=timezone.now()
        )


def devices_of(user: Any) -> list[AppDevice]:
    return list(AppDevice.objects.filter(user=user, revoked_at=None, expires_at__gt=timezone.now()))


def revoke(user: Any, device_id: int) -> bool:
    """End one of the user's own app log-ins; False when there is no such live device."""
    with transaction.atomic():
        device = (
            AppDevice.objects.select_for_update()
            .filter(pk=device_id, user=user, revoked_at=None)
            .first()
        )
        if device is None:
            return False
        _blacklist(device.refresh_jti)
        device.revoked_at = timezone.now()
        device.save(update_fields=["revoked_at"])
    return True


class TokenAuth(JWTAuth):
    """`Authorization: Bearer <access>` only (never a query string, which ends up in logs and
    Referer headers); the token's device must still be logged in."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            # The library annotates these loosely (a token class, a base user).
            validated: Any = self.get_validated_token(token)
            user: Any = self.get_user(validated)
        except AuthenticationFailed as exc:
            raise TokenRefused("访问令牌无效或已过期，请刷新令牌或重新登录") from exc
        live = AppDevice.objects.filter(
            pk=validated.get(DEVICE_CLAIM), user=user, revoked_at=None
        ).exists()
        if not live:
            raise TokenRefused("该设备已退出登录或被注销，请重新登录")
        if user.needs_second_factor and not validated.get(SECOND_FACTOR_CLAIM):
            raise TokenRefused("工作人员须使用动态口令重新登录")
        # The workflow reads the actor from request.user, as for a session.
        request.user = user
        request.token_device = validated.get(DEVICE_CLAIM)  # type: ignore[attr-defined]
        return user


# Every authenticated API route: a bearer token first (no CSRF token needed, as there is no
# cookie to forge), else the browser session with its CSRF check.
AUTH = [TokenAuth(), django_auth]
