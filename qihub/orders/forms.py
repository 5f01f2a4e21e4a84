from django import forms

from qihub.demands.forms import VersionForm


class PlaceForm(forms.Form):
    description = forms.CharField(label="服务要求（样品、数量、时间等）", max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  error_messages={"required": "服务要求：必须填写"})  # fmt: skip
    quantity = forms.IntegerField(label="数量", min_value=1, max_value=10000, initial=1, error_messages={
        "required": "数量：必须填写", "invalid": "数量：应为整数", "min_value": "数量：至少为 1",
        "max_value": "数量：不超过 10000"})  # fmt: skip
    demand = forms.CharField(required=False, widget=forms.HiddenInput)


class ConfirmForm(VersionForm):
    price = forms.DecimalField(label="报价（元，按需报价的服务必填）", max_digits=12, decimal_places=2,
                               required=False, error_messages={"invalid": "报价：应为数字"})  # fmt: skip
    period_days = forms.IntegerField(label="服务周期（工作日）", required=False,
                                     error_messages={"invalid": "服务周期：应为整数"})  # fmt: skip
    note = forms.CharField(label="说明", max_length=300, required=False)


class ReasonForm(VersionForm):
    reason = forms.CharField(
        label="原因", max_length=300, error_messages={"required": "原因：必须填写"}
    )


class ProgressForm(forms.Form):
    note = forms.CharField(
        label="进度说明", max_length=300, error_messages={"required": "进度说明：必须填写"}
    )


class CompleteForm(VersionForm):
    note = forms.CharField(label="完成说明", max_length=300, required=False)
