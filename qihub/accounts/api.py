"""Log-in for apps and mini-programs (OPS-3): tokens, refresh, log-out and 设备管理.

Form-encoded like the rest of the API. Token answers are {"access", "refresh",
"access_expires_at"}; a refusal is {"detail": 中文说明} with 401 (429 while locked out)."""

from django.http import HttpRequest
from ninja import Router, Status

from qihub.accounts import tokens
from qihub.accounts.forms import RefreshForm, TokenForm
from qihub.accounts.models import AppDevice
from qihub.core.api import invalid

router = Router(tags=["登录令牌"])

ANSWERS = {200: dict, 401: dict, 422: dict, 429: dict}


def _refused(exc: tokens.TokenRefused) -> Status:
    return Status(exc.status_code, {"detail": exc.message})


@router.post(
    "/auth/token",
    response=ANSWERS,
    auth=None,
    summary="App 登录：username、password（工作人员另需 otp_token 动态口令）、device_name",
)
def obtain(request: HttpRequest) -> Status:
    form = TokenForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    try:
        return Status(200, tokens.obtain(request, form.cleaned_data))
    except tokens.TokenRefused as exc:
        return _refused(exc)


@router.post(
    "/auth/refresh",
    response=ANSWERS,
    auth=None,
    summary="用刷新令牌（refresh）换取新的访问令牌；旧刷新令牌随即作废",
)
def refresh(request: HttpRequest) -> Status:
    form = RefreshForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    try:
        return Status(200, tokens.rotate(form.cleaned_data["refresh"]))
    except tokens.TokenRefused as exc:
        return _refused(exc)


@router.post(
    "/auth/logout",
    response=ANSWERS,
    auth=None,
    summary="App 退出登录：作废给出的刷新令牌（refresh）",
)
def logout(request: HttpRequest) -> Status:
    form = RefreshForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    try:
        tokens.log_out(form.cleaned_data["refresh"])
    except tokens.TokenRefused as exc:
        return _refused(exc)
    return Status(200, {"detail": "已退出登录"})


def describe(device: AppDevice, request: HttpRequest) -> dict:
    return {
        "id": device.pk,
        "name": device.name,
        "issued_at": device.issued_at.isoformat(),
        "refreshed_at": device.refreshed_at.isoformat() if device.refreshed_at else None,
        "expires_at": device.expires_at.isoformat(),
        "current": device.pk == getattr(request, "token_device", None),
    }


@router.get("/auth/devices", response=list[dict], auth=tokens.AUTH, summary="我的登录设备")
def devices(request: HttpRequest) -> list[dict]:
    return [describe(d, request) for d in tokens.devices_of(request.user)]


@router.post(
    "/auth/devices/{device_id}/revoke",
    response={200: dict, 404: dict},
    auth=tokens.AUTH,
    summary="注销一台登录设备：其刷新令牌与访问令牌立即失效",
)
def revoke(request: HttpRequest, device_id: int) -> Status:
    if not tokens.revoke(request.user, device_id):
        return Status(404, {"detail": "没有该登录设备，或已注销"})
    return Status(200, {"detail": "已注销该设备"})
