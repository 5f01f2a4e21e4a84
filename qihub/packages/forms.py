from typing import Any

from django import forms

from qihub.core.widgets import rating_field
from qihub.institutions.models import InstitutionService
from qihub.packages.models import PackageLine, Recognition, Stage


class RecognitionChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Recognition) -> str:
        return f"{obj.name}（{obj.kind}）"


class ServiceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: InstitutionService) -> str:
        return f"{obj.organisation.name}：{obj.name}"


class PackageRequestForm(forms.Form):
    """The enterprise's request: the product, the recognitions it needs, the life-cycle stages."""

    product = forms.CharField(
        label="产品",
        max_length=120,
        error_messages={"required": "产品：必须填写"},
    )
    recognitions = RecognitionChoices(
        label="所需认可用途（可多选）",
        queryset=Recognition.objects.filter(active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "所需认可用途：至少选择一项",
            "invalid_choice": "所需认可用途：选项无效，请重新选择",
            "invalid_pk_value": "所需认可用途：选项无效，请重新选择",
        },
    )
    stages = forms.MultipleChoiceField(
        label="需要服务的环节（可多选）",
        choices=Stage.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "服务环节：至少选择一项",
            "invalid_choice": "服务环节：选项无效，请重新选择",
        },
    )
    description = forms.CharField(
        label="服务需求说明",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "服务需求说明：必须填写",
            "max_length": "服务需求说明：不超过 2000 字",
        },
    )


class TakeForm(forms.Form):
    pass


class LineForm(forms.Form):
    """One test of the plan: which service of which institution, to which standard, at which
    price, and which of the requested recognitions its one result serves."""

    takes = ("record",)

    stage = forms.ChoiceField(
        label="服务环节",
        choices=[("", "请选择环节"), *Stage.choices],
        error_messages={
            "required": "服务环节：请选择",
            "invalid_choice": "服务环节：选项无效，请重新选择",
        },
    )
    service = ServiceChoice(
        label="服务项目（机构）",
        queryset=InstitutionService.objects.filter(published=True).select_related("organisation"),
        empty_label="请选择机构的服务项目",
        error_messages={
            "required": "服务项目（机构）：请选择",
            "invalid_choice": "服务项目（机构）：选项无效，请重新选择",
        },
    )
    standard = forms.CharField(
        label="依据标准",
        max_length=200,
        error_messages={"required": "依据标准：必须填写"},
    )
    price = forms.DecimalField(
        label="价格（元）",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        error_messages={
            "required": "价格（元）：必须填写",
            "invalid": "价格（元）：请填写数字",
            "min_value": "价格（元）：不能为负数",
            "max_digits": "价格（元）：数额过大",
            "max_decimal_places": "价格（元）：最多两位小数",
        },
    )
    recognitions = RecognitionChoices(
        label="该检测结果服务的认可用途（可多选）",
        queryset=Recognition.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "服务的认可用途：至少选择一项",
            "invalid_choice": "服务的认可用途：只能选择申请中所需的认可用途",
            "invalid_pk_value": "服务的认可用途：选项无效，请重新选择",
        },
    )

    def __init__(self, *args: Any, record: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if record is not None:
            self.fields["recognitions"].queryset = record.recognitions.all()


class RemoveLineForm(forms.Form):
    takes = ("record",)

    line = forms.ModelChoiceField(
        label="方案条目",
        queryset=PackageLine.objects.none(),
        error_messages={
            "required": "方案条目：请选择",
            "invalid_choice": "方案条目：不属于该申请",
        },
    )

    def __init__(self, *args: Any, record: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if record is not None:
            self.fields["line"].queryset = record.lines.all()


class ProposeForm(forms.Form):
    note = forms.CharField(label="方案说明（可选）", max_length=300, required=False)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="退回原因",
        max_length=300,
        error_messages={"required": "退回原因：必须填写"},
    )


class AcceptForm(forms.Form):
    pass


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回原因（可选）", max_length=300, required=False)


class EvaluationForm(forms.Form):
    overall = rating_field("整体满意度")
    coordination = rating_field("协调服务")
    saving = rating_field("节省费用与时间")
    comment = forms.CharField(
        label="意见建议（可选）",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
