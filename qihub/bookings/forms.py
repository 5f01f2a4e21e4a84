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


class AdjustForm(VersionForm):
    """Approve at another free slot (the page offers the free slots)."""

    start = forms.CharField(
        label="调整后的时段",
        max_length=16,
        error_messages={"required": "调整后的时段：请选择一个空闲时段"},
    )


class RefuseForm(VersionForm):
    reason = forms.CharField(
        label="拒绝理由",
        max_length=200,
        error_messages={"required": "拒绝理由：请填写", "max_length": "拒绝理由：最多 200 字"},
    )


class FinishForm(VersionForm):
    """Closing a booking; an instrument's owner may enter the use (INS-1): hours used, samples."""

    hours = forms.DecimalField(
        label="使用机时（小时）",
        required=False,
        min_value=0,
        max_value=1000,
        decimal_places=1,
        error_messages={
            "invalid": "使用机时：请填写数字",
            "min_value": "使用机时：不能为负数",
            "max_value": "使用机时：最多 1000 小时",
            "max_decimal_places": "使用机时：最多保留 1 位小数",
        },
    )
    samples = forms.IntegerField(
        label="样品数量",
        required=False,
        min_value=0,
        max_value=10000,
        error_messages={
            "invalid": "样品数量：请填写整数",
            "min_value": "样品数量：不能为负数",
            "max_value": "样品数量：最多 10000 个",
        },
    )
