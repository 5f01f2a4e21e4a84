from decimal import Decimal

from django import forms

from qihub.accounts.models import Organisation
from qihub.institutions.models import InstitutionService, Pricing


class ServiceForm(forms.ModelForm):
    """An institution's own service item (CAT-4). The category must be one its capability scope
    covers, so nothing is offered outside the qualification (MATCH-3)."""

    class Meta:
        model = InstitutionService
        fields = [
            "name",
            "category",
            "catalogue_item",
            "description",
            "period_days",
            "pricing",
            "price",
            "price_unit",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "name": {"required": "服务名称：必须填写"},
            "category": {
                "required": "服务类别：请选择",
                "invalid_choice": "服务类别：不是可选的类别",
            },
            "description": {"required": "服务内容：必须填写"},
            "period_days": {"required": "服务周期：必须填写", "invalid": "服务周期：应为整数"},
            "pricing": {
                "required": "收费方式：请选择",
                "invalid_choice": "收费方式：不是可选的方式",
            },
            "price": {"invalid": "价格：应为数字，如 120 或 85.50"},
        }

    def __init__(self, *args: object, organisation: Organisation, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["catalogue_item"].required = False

    def clean_period_days(self) -> int:
        days = self.cleaned_data["period_days"]
        if not 1 <= days <= 365:
            raise forms.ValidationError("服务周期：应在 1–365 个工作日之间")
        return days

    def clean_category(self) -> str:
        category = self.cleaned_data["category"]
        covered = set(self.organisation.scope_lines.values_list("category", flat=True))
        if category not in covered:
            raise forms.ValidationError(
                "服务类别：不在贵机构的资质能力范围内，请先通过变更报备补充能力范围"
            )
        return category

    def clean(self) -> dict:
        data = super().clean()
        pricing, price = data.get("pricing"), data.get("price")
        if pricing == Pricing.FIXED:
            if price is None:
                self.add_error("price", "价格：固定收费须填写价格")
            elif price <= Decimal(0):
                self.add_error("price", "价格：应大于 0")
        elif price is not None:
            data["price"] = None  # free and quoted items carry no fixed price
        return data
