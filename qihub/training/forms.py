"""Training forms, shared by pages and API. Every error names its field."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from qihub.biomed.forms import DateInput, _Named, _not_future, _version
from qihub.core.widgets import rating_field
from qihub.training.models import EventKind, Field, Result, TrainingEvent


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class EventForm(_Named, forms.ModelForm):
    class Meta:
        model = TrainingEvent
        fields = [
            "kind",
            "topic",
            "field",
            "description",
            "hours",
            "starts_at",
            "online",
            "place",
            "capacity",
            "fee",
            "enrol_by",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "enrol_by": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "请选择")] + list(EventKind.choices)
        self.fields["field"].choices = [("", "请选择")] + list(Field.choices)
        for name in ("starts_at", "enrol_by"):
            self.fields[name].error_messages["invalid"] = (
                f"{self.fields[name].label}：请按“年-月-日 时:分”填写，如 2026-03-01 09:00"
            )

    def clean_hours(self) -> Decimal:
        hours = self.cleaned_data["hours"]
        if hours <= 0 or hours > 200:
            raise forms.ValidationError("学时：须大于 0 且不超过 200")
        return hours

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data["capacity"]
        if capacity < 1:
            raise forms.ValidationError("名额：至少 1 人")
        return capacity

    def clean_fee(self) -> Decimal:
        fee = self.cleaned_data["fee"]
        if fee is None or fee < 0:
            raise forms.ValidationError("费用（元，0 为免费）：不能为负数")
        return fee

    def clean(self) -> dict:
        data = super().clean()
        starts, deadline = data.get("starts_at"), data.get("enrol_by")
        if starts and starts <= timezone.now():
            self.add_error("starts_at", "开始时间：须晚于现在")
        if starts and deadline and deadline > starts:
            self.add_error("enrol_by", "报名截止：不能晚于开始时间")
        return data


class VersionForm(_Named, forms.Form):
    version = _version()


class AttendForm(_Named, forms.Form):
    version = _version()
    result = forms.ChoiceField(label="结果", choices=[("", "请选择"), *Result.choices])


class EvaluateForm(_Named, forms.Form):
    version = _version()
    comment = forms.CharField(label="评价意见", max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rating"] = rating_field("总体评价")


class CheckInCodeForm(_Named, forms.Form):
    code = forms.CharField(label="签到码", max_length=12)

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper().replace(" ", "")


class OutsideTrainingForm(_Named, forms.Form):
    held_on = forms.DateField(label="培训日期", widget=DateInput())
    topic = forms.CharField(label="培训内容", max_length=200)
    organiser = forms.CharField(label="主办单位", max_length=120)
    hours = forms.DecimalField(label="学时", max_digits=5, decimal_places=1)

    def clean_held_on(self) -> dt.date:
        return _not_future(self.cleaned_data["held_on"], "培训日期")

    def clean_hours(self) -> Decimal:
        hours = self.cleaned_data["hours"]
        if hours <= 0 or hours > 200:
            raise forms.ValidationError("学时：须大于 0 且不超过 200")
        return hours


class QualificationForm(_Named, forms.Form):
    name = forms.CharField(label="资质名称", max_length=120)
    number = forms.CharField(label="证书编号", max_length=60, required=False)
    issuer = forms.CharField(label="发证机关", max_length=120, required=False)
    valid_from = forms.DateField(label="取得日期", widget=DateInput())
    valid_until = forms.DateField(
        label="有效期至（长期有效可不填）", widget=DateInput(), required=False
    )

    def clean_valid_from(self) -> dt.date:
        return _not_future(self.cleaned_data["valid_from"], "取得日期")

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", "有效期至：不能早于取得日期")
        return data


class PledgeForm(_Named, forms.Form):
    text = forms.CharField(label="承诺书正文", max_length=5000, widget=forms.Textarea)
