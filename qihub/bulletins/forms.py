"""The bulletins' forms, shared by pages and API (CAT-7, CMP-5). Every error names its field."""

from typing import Any

from django import forms

from qihub.accounts.uploads import MaterialField
from qihub.bulletins.models import (
    Alert,
    AlertSubscription,
    DefectStatus,
    Field,
    PassedTo,
    Policy,
    Validity,
)
from qihub.workstation.forms import DateInput, Named

MAX_EVIDENCE = 3


class PolicyForm(Named, forms.ModelForm):
    link = forms.URLField(label="原文链接", required=False, assume_scheme="https")

    class Meta:
        model = Policy
        fields = ["title", "issuer", "number", "issued_on", "validity", "field", "text", "link"]
        widgets = {"issued_on": DateInput, "text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs["placeholder"] = "如 国市监质发〔2024〕12号"
        self.fields["link"].error_messages["invalid"] = (
            "原文链接：请填写以 http:// 或 https:// 开头的网址"
        )

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not data.get("text") and not data.get("link"):
            raise forms.ValidationError("全文或原文链接：至少填写一项")
        return data


class PolicySearchForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=100)
    field = forms.ChoiceField(
        label="领域", choices=[("", "全部领域"), *Field.choices], required=False
    )
    validity = forms.ChoiceField(
        label="效力状态", choices=[("", "全部"), *Validity.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = field.label
            field.error_messages.update(
                {
                    "invalid_choice": f"{label}：请从列表中选择",
                    "max_length": f"{label}：最多 %(limit_value)d 个字",
                }
            )


class AlertForm(Named, forms.ModelForm):
    class Meta:
        model = Alert
        fields = ["kind", "field", "title", "product", "published_on", "text", "source"]
        widgets = {"published_on": DateInput, "text": forms.Textarea(attrs={"rows": 6})}


class SubscriptionForm(Named, forms.ModelForm):
    class Meta:
        model = AlertSubscription
        fields = ["field", "keywords"]
        help_texts = {"keywords": "多个关键词用逗号或空格分开；不填则接收该领域的全部警示"}


class DefectForm(Named, forms.Form):
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.RegexField(label="联系电话", regex=r"^[0-9\-+ ]{7,20}$", max_length=20)
    product = forms.CharField(label="产品名称", max_length=100)
    maker = forms.CharField(label="生产企业", max_length=100, required=False)
    model_spec = forms.CharField(label="型号规格或批号", max_length=100, required=False)
    field = forms.ChoiceField(label="领域", choices=Field.choices)
    defect = forms.CharField(
        label="缺陷描述", widget=forms.Textarea(attrs={"rows": 5}), max_length=2000
    )
    evidence_1 = MaterialField(label="证据材料一（PDF/JPG/PNG，可选）", required=False)
    evidence_2 = MaterialField(label="证据材料二（可选）", required=False)
    evidence_3 = MaterialField(label="证据材料三（可选）", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_phone"].error_messages["invalid"] = (
            "联系电话：请填写 7–20 位数字的电话号码"
        )

    @property
    def files_posted(self) -> list:
        return [
            self.cleaned_data[f"evidence_{i}"]
            for i in range(1, MAX_EVIDENCE + 1)
            if self.cleaned_data.get(f"evidence_{i}")
        ]


class VersionForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AnswerForm(Named, VersionForm):
    text = forms.CharField(
        label="答复内容", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


class PassOnForm(Named, VersionForm):
    to = forms.ChoiceField(label="移送对象", choices=PassedTo.choices)
    name = forms.CharField(label="接收单位名称", max_length=100)
    note = forms.CharField(label="移送说明", max_length=500, required=False)


STATUS_CHOICES = DefectStatus.choices
