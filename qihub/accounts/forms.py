from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice


class LoginForm(AuthenticationForm):
    """Password log-in; staff accounts also give the code of their TOTP authenticator (ACC-9)."""

    otp_token = forms.CharField(
        label="动态口令（工作人员必填）",
        max_length=8,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def confirm_login_allowed(self, user: object) -> None:
        super().confirm_login_allowed(user)
        if not user.needs_second_factor:
            return
        devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
        if not devices:
            raise ValidationError(
                "工作人员账户尚未绑定动态口令，请联系系统管理员", code="no_device"
            )
        token = (self.cleaned_data.get("otp_token") or "").strip()
        if not token:
            raise ValidationError("工作人员登录须输入动态口令（6 位数字）", code="otp_required")
        for device in devices:
            if device.verify_token(token):
                # django_otp marks the session as verified when login() sees this attribute.
                user.otp_device = device
                return
        raise ValidationError(
            "动态口令不正确或已过期，请输入验证器中当前显示的 6 位数字", code="otp_invalid"
        )
