"""The support forms, shared by pages and API (OPS-1). Every error names its field."""

import re
from typing import Any

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme

from qihub.accounts.uploads import MaterialField
from qihub.workstation.forms import Named

# Error numbers are request ids: letters, digits and dashes (uuid hex, or a short code).
ERROR_NUMBER = re.compile(r"^[A-Za-z0-9-]{1,64}$")
PAGE_MAX = 300


def local_page(value: str) -> str:
    """The referring page if it is a path on this platform, else empty (never an address
    elsewhere: the operator opens it)."""
    value = (value or "").strip()
    if (
        not value
        or len(value) > PAGE_MAX
        or not value.startswith("/")
        or value.startswith("//")
        or "\\" in value
        or not url_has_allowed_host_and_scheme(value, allowed_hosts=None)
    ):
        return ""
    return value


def error_number(value: str) -> str:
    value = (value or "").strip()
    return value if ERROR_NUMBER.match(value) else ""


class ScreenshotField(MaterialField):
    """The shared upload checks, with the field named in each message."""

    def clean(self, data: object, initial: object = None) -> object:
        try:
            return super().clean(data, initial)
        except forms.ValidationError as exc:
            raise forms.ValidationError([f"问题截图：{m}" for m in exc.messages]) from exc


class SupportForm(Named, forms.Form):
    page = forms.CharField(
        label="问题页面", max_length=PAGE_MAX, required=False, widget=forms.HiddenInput
    )
    error_number = forms.CharField(label="错误编号", max_length=64, required=False)
    description = forms.CharField(
        label="问题描述", widget=forms.Textarea(attrs={"rows": 5}), max_length=2000
    )
    screenshot = ScreenshotField(label="问题截图（JPG/PNG/PDF，可选）", required=False)
    contact_name = forms.CharField(label="联系人", max_length=50, required=False)
    contact_phone = forms.RegexField(
        label="联系电话", regex=r"^[0-9\-+ ]{7,20}$", max_length=20, required=False
    )

    def __init__(self, *args: Any, visitor: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.visitor = visitor
        self.fields["contact_phone"].error_messages["invalid"] = (
            "联系电话：请填写 7–20 位数字的电话号码"
        )
        if visitor:
            # Without an account the reply can only reach the visitor by telephone.
            for name in ("contact_name", "contact_phone"):
                self.fields[name].required = True
                self.fields[name].error_messages["required"] = (
                    f"{self.fields[name].label}：未登录时请填写，以便我们答复您"
                )

    def clean_page(self) -> str:
        value = self.cleaned_data.get("page", "")
        if value and not local_page(value):
            raise forms.ValidationError("问题页面：只能是本平台内的页面地址")
        return local_page(value)

    def clean_error_number(self) -> str:
        value = (self.cleaned_data.get("error_number") or "").strip()
        if value and not error_number(value):
            raise forms.ValidationError("错误编号：只能包含字母、数字和短横线")
        return value


class VersionForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AnswerForm(Named, VersionForm):
    text = forms.CharField(
        label="答复内容", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


class InfoForm(Named, VersionForm):
    text = forms.CharField(
        label="补充说明", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class CloseForm(Named, VersionForm):
    note = forms.CharField(label="关闭说明", max_length=500, required=False)
