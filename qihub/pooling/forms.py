from typing import Any

from django import forms

from qihub.accounts.models import MemberKind
from qihub.accounts.org_field import OrganisationField
from qihub.catalog.models import Category
from qihub.core.region_field import RegionField
from qihub.demands.models import Demand
from qihub.institutions.models import InstitutionService
from qihub.pooling.models import Batch


class DemandsWidget(forms.Widget):
    """The group's ticked demands (checkboxes drawn by the page, one `demands` value each)."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        getter = getattr(data, "getlist", None)
        values = getter(name) if getter else data.get(name, [])
        if isinstance(values, str):
            values = values.split(",")
        return [str(v).strip() for v in values if str(v).strip()]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False


class DemandsField(forms.Field):
    widget = DemandsWidget
    api_schema = {"type": "array", "items": {"type": "string"}, "title": "需求编号（可多项）"}

    def to_python(self, value: Any) -> list[Demand]:
        numbers = list(dict.fromkeys(value or []))
        if not numbers:
            return []
        if not all(n.isprintable() for n in numbers):  # a NUL even breaks PostgreSQL's query
            raise forms.ValidationError("需求：编号含有不可见的控制字符，请从列表中勾选")
        found = {d.number: d for d in Demand.objects.filter(number__in=numbers[:50])}
        missing = [n for n in numbers if n not in found]
        if missing:
            raise forms.ValidationError(f"需求：没有编号为 {missing[0][:20]} 的需求")
        return [found[n] for n in numbers]

    def validate(self, value: list[Demand]) -> None:
        if len(value) < 2:
            raise forms.ValidationError("需求：请至少勾选 2 项相似需求")


class GroupFilterForm(forms.Form):
    """The grouping page's filters: service category, industry or product words, region."""

    category = forms.ChoiceField(
        label="服务类别", choices=[("", "全部类别"), *Category.choices], required=False
    )
    words = forms.CharField(label="行业或产品", max_length=50, required=False)
    region = RegionField(label="地区", levels=2, required=False)


class BatchForm(forms.Form):
    title = forms.CharField(
        label="批次名称", max_length=100, error_messages={"required": "批次名称：必须填写"}
    )
    institution = OrganisationField(label="承接机构", kinds=[MemberKind.INSTITUTION])
    demands = DemandsField(label="需求")
    note = forms.CharField(label="打包说明（可选）", max_length=500, required=False)


class VersionForm(forms.Form):
    version = forms.IntegerField(
        required=False, widget=forms.HiddenInput, error_messages={"invalid": "版本：应为整数"}
    )


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: InstitutionService) -> str:
        price = f"，挂牌价 ¥{obj.price:,.2f}" if obj.pricing == "fixed" and obj.price else ""
        return f"{obj.name}（{obj.get_pricing_display()}{price}）"


class OfferForm(VersionForm):
    """The institution's offer: which of its services, the price per enterprise, the period."""

    takes = ("record",)

    service = ServiceChoiceField(
        label="服务项目",
        queryset=InstitutionService.objects.none(),
        empty_label="请选择本机构的服务项目",
        error_messages={
            "required": "服务项目：必须选择",
            "invalid_choice": "服务项目：请选择本机构已发布的服务项目",
        },
    )
    price = forms.DecimalField(
        label="批量价格（元/家企业）",
        max_digits=12,
        decimal_places=2,
        min_value=0,
        error_messages={
            "required": "批量价格：必须填写",
            "invalid": "批量价格：应为数字",
            "min_value": "批量价格：不能为负数",
            "max_digits": "批量价格：数值过大",
            "max_decimal_places": "批量价格：最多两位小数",
        },
    )
    period_days = forms.IntegerField(
        label="服务周期（工作日）",
        min_value=1,
        max_value=365,
        error_messages={
            "required": "服务周期：必须填写",
            "invalid": "服务周期：应为整数",
            "min_value": "服务周期：应在 1–365 个工作日之间",
            "max_value": "服务周期：应在 1–365 个工作日之间",
        },
    )
    note = forms.CharField(label="报价说明（可选）", max_length=500, required=False)

    def __init__(self, *args: Any, record: Batch | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if record is not None:
            self.fields["service"].queryset = InstitutionService.objects.filter(
                organisation_id=record.institution_id, published=True
            ).order_by("name")


class ReasonForm(VersionForm):
    reason = forms.CharField(
        label="原因", max_length=300, error_messages={"required": "原因：必须填写"}
    )


class AnswerForm(VersionForm):
    pass


class DeclineForm(VersionForm):
    reason = forms.CharField(label="谢绝原因（可选）", max_length=300, required=False)
