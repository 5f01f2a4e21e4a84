"""Forms of the open resources (INS-2), shared by pages and API."""

from decimal import Decimal

from django import forms

from qihub.accounts.models import MemberKind
from qihub.accounts.org_field import OrganisationField
from qihub.opening.models import Laboratory, OpenResult, ResultKind, Terms


def _messages(form: forms.BaseForm) -> None:
    """Every field's errors name the field (a form posted by an app has no layout to point)."""
    for field in form.fields.values():
        label = field.label
        field.error_messages.update(
            {
                "required": f"{label}：必须填写",
                "invalid": f"{label}：格式不正确",
                "invalid_choice": f"{label}：请从可选项中选择",
                "max_length": f"{label}：内容过长",
                "max_digits": f"{label}：数值过大",
                "max_decimal_places": f"{label}：小数位数过多",
                "max_whole_digits": f"{label}：数值过大",
            }
        )


class LaboratoryForm(forms.ModelForm):
    class Meta:
        model = Laboratory
        fields = [
            "name",
            "area",
            "equipped_for",
            "capacity",
            "free",
            "price_per_hour",
            "rules",
            "listed",
        ]
        widgets = {
            "equipped_for": forms.Textarea(attrs={"rows": 3}),
            "rules": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        _messages(self)
        self.fields["price_per_hour"].help_text = "公益免费开放时不填"

    def clean_area(self) -> Decimal:
        area = self.cleaned_data["area"]
        if not Decimal("1") <= area <= Decimal("100000"):
            raise forms.ValidationError("面积（平方米）：应在 1 至 100000 之间")
        return area

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data["capacity"]
        if not 1 <= capacity <= 1000:
            raise forms.ValidationError("可容纳人数：应在 1 至 1000 之间")
        return capacity

    def clean(self) -> dict:
        data = super().clean()
        price = data.get("price_per_hour")
        if data.get("free"):
            data["price_per_hour"] = None
        elif "price_per_hour" not in self.errors:
            if price is None:
                self.add_error("price_per_hour", "每小时价格（元）：有偿开放须填写每小时价格")
            elif price <= 0:
                self.add_error("price_per_hour", "每小时价格（元）：应大于 0")
        return data


class ResultForm(forms.ModelForm):
    """An institution publishes its own results; an operator names the owner with the picker."""

    takes = ("staff",)

    class Meta:
        model = OpenResult
        fields = [
            "kind",
            "title",
            "field",
            "contact_name",
            "contact_phone",
            "terms",
            "summary",
            "published",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: object, staff: bool | None = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ResultKind.choices
        self.fields["terms"].choices = Terms.choices
        _messages(self)
        for name in ("kind", "terms"):
            self.fields[name].error_messages["required"] = f"{self.fields[name].label}：请选择"
        if staff:
            self.fields["owner"] = OrganisationField(
                label="所有单位",
                kinds=[MemberKind.INSTITUTION, MemberKind.ENTERPRISE],
                initial=self.instance.organisation if self.instance.pk else None,
            )

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data["contact_phone"].strip().replace(" ", "")
        digits = phone.replace("-", "")
        if not digits.isdigit() or not 7 <= len(digits) <= 13:
            raise forms.ValidationError("联系电话：请填写手机号或带区号的固定电话")
        return phone
