"""The booking forms, shared by pages and API (ORD-3)."""

from django import forms

from qihub.bookings.models import Purpose


class BookForm(forms.Form):
    start = forms.CharField(
        label="预约时段",
        max_length=16,
        error_messages={"required": "预约时段：请选择一个可预约的时段"},
    )
    slots = forms.IntegerField(
        label="时段数",
        min_value=1,
        max_value=8,
        initial=1,
        required=False,
        error_messages={
            "invalid": "时段数：请填写整数",
            "min_value": "时段数：至少 1 个",
            "max_value": "时段数：最多 8 个",
        },
    )
    purpose = forms.ChoiceField(
        label="事由",
        choices=Purpose.choices,
        error_messages={
            "required": "事由：请选择咨询、送样或取报告",
            "invalid_choice": "事由：请选择咨询、送样或取报告",
        },
    )


class VersionForm(forms.Form):
    """A step on a booking as the actor saw it (a stale page must not act)."""

    version = forms.IntegerField(
        label="版本",
        min_value=0,
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": "版本：请刷新页面后重试"},
    )
