"""The archive's forms: one each for the page and the API (`form_body`)."""

from django import forms

from qihub.accounts.models import MemberKind
from qihub.accounts.org_field import OrganisationField


class RequestForm(forms.Form):
    enterprise = OrganisationField(label="企业", kinds=[MemberKind.ENTERPRISE])
    reason = forms.CharField(
        label="查阅事由",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "查阅事由：必须填写", "max_length": "查阅事由：最多 300 字"},
    )
    period_from = forms.DateField(
        label="查阅期限起",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "查阅期限起：必须填写",
            "invalid": "查阅期限起：请填写正确的日期",
        },
    )
    period_to = forms.DateField(
        label="查阅期限止",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "查阅期限止：必须填写",
            "invalid": "查阅期限止：请填写正确的日期",
        },
    )


class DecideForm(forms.Form):
    note = forms.CharField(
        label="审批意见",
        max_length=300,
        required=False,
        error_messages={"max_length": "审批意见：最多 300 字"},
    )
