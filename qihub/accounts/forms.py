from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice


def check_second_factor(user: Any, otp_token: str) -> TOTPDevice | None:
    """The staff-side second factor (ACC-9), one rule for the log-in page and the token API:
    None for roles without one, the matching TOTP device, or a ValidationError saying why not."""
    if not user.needs_second_factor:
        return None
    devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
    if not devices:
        raise ValidationError("工作人员账户尚未绑定动态口令，请联系系统管理员", code="no_device")
    token = (otp_token or "").strip()
    if not token:
        raise ValidationError("工作人员登录须输入动态口令（6 位数字）", code="otp_required")
    for device in devices:
        if device.verify_token(token):
            return device
    raise ValidationError(
        "动态口令不正确或已过期，请输入验证器中当前显示的 6 位数字", code="otp_invalid"
    )


class LoginForm(AuthenticationForm):
    """Password log-in; staff accounts also give the code of their TOTP authenticator (ACC-9)."""

    otp_token = forms.CharField(
        label="动态口令（工作人员必填）",
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        device = check_second_factor(user, self.cleaned_data.get("otp_token") or "")
        if device is not None:
            # django_otp marks the session as verified when login() sees this attribute.
            user.otp_device = device


class TokenForm(forms.Form):
    """An app's log-in (OPS-3): the page's fields plus the name the device is listed under."""

    username = forms.CharField(
        label="用户名", max_length=150, error_messages={"required": "用户名：必须填写"}
    )
    password = forms.CharField(
        label="密码", max_length=4096, strip=False, error_messages={"required": "密码：必须填写"}
    )
    otp_token = forms.CharField(label="动态口令", max_length=8, required=False)
    device_name = forms.CharField(label="设备名称", max_length=60, required=False)


class RefreshForm(forms.Form):
    refresh = forms.CharField(
        label="刷新令牌",
        max_length=4096,
        error_messages={"required": "刷新令牌（refresh）：必须填写"},
    )
