"""The finance forms, shared by pages and API (OPS-5). Every error names its field."""

from typing import Any

from django import forms

from qihub.finance.models import FinanceProduct
from qihub.workstation.forms import Named


class ProductForm(Named, forms.ModelForm):
    class Meta:
        model = FinanceProduct
        fields = ["kind", "name", "provider", "summary", "conditions", "terms", "contact", "active"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "conditions": forms.Textarea(attrs={"rows": 4}),
        }


class ApplyForm(Named, forms.Form):
    amount = forms.DecimalField(
        label="需求金额（万元）", max_digits=10, decimal_places=2, min_value=0, required=False
    )
    purpose = forms.CharField(
        label="资金用途或保障需求", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact_name = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.RegexField(label="联系电话", regex=r"^[0-9\-+ ]{7,20}$", max_length=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_phone"].error_messages["invalid"] = (
            "联系电话：请填写 7–20 位数字的电话号码"
        )


class VersionForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class NoteForm(Named, VersionForm):
    note = forms.CharField(label="说明", max_length=500)


class OptionalNoteForm(Named, VersionForm):
    note = forms.CharField(label="说明", max_length=500, required=False)
