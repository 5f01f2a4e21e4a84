"""The product archive forms, shared by pages and API. Every error names its field."""

from typing import Any

from django import forms
from django.utils import timezone

from qihub.accounts.models import User
from qihub.accounts.roles import EXPERTS, FIELD_STAFF
from qihub.accounts.uploads import MaterialField
from qihub.biomed.models import (
    Grade,
    InspectionFinding,
    ProductArchive,
    ServiceKind,
    Stage,
)


def _name_errors(form: forms.BaseForm) -> None:
    """Prefix Django's generic messages with the field's label, so "必须填写" says which field."""
    for field in form.fields.values():
        label = field.label or ""
        messages = {
            "required": f"{label}：必须填写",
            "invalid": f"{label}：格式不正确",
            "invalid_choice": f"{label}：请从列表中选择",
            "max_length": f"{label}：最多 %(limit_value)d 个字",
        }
        if isinstance(field, forms.DateField):
            messages["invalid"] = f"{label}：请按“年-月-日”填写日期，如 2026-03-01"
        if isinstance(field, forms.IntegerField):
            messages["invalid"] = f"{label}：请刷新页面后重试"
        if isinstance(field, forms.FileField):
            messages["required"] = f"{label}：请上传文件"
        field.error_messages.update(messages)


class _Named:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _name_errors(self)  # type: ignore[arg-type]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        # A date input only takes ISO dates: the localised format would leave it blank.
        super().__init__(attrs, format="%Y-%m-%d")


def _version() -> forms.IntegerField:
    return forms.IntegerField(label="版本", min_value=0, required=False, widget=forms.HiddenInput)


def _not_future(value: Any, label: str) -> Any:
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"{label}：不能晚于今天")
    return value


class OpenForm(_Named, forms.ModelForm):
    """An enterprise opens an archive for a product (or several, merged)."""

    class Meta:
        model = ProductArchive
        fields = ["name", "product_class", "route", "stage", "merged_products"]
        labels = {"stage": "目前所处阶段"}
        widgets = {"merged_products": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "merged_products": "贵企业可为每个产品各建一份档案，也可把多个产品合并建一份档案；"
            "合并时在此逐行填写其他产品名称。",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].initial = Stage.INTRODUCTION


class VersionForm(_Named, forms.Form):
    version = _version()


class AdvanceForm(VersionForm):
    note = forms.CharField(label="说明", max_length=300, required=False)


class AssignForm(VersionForm):
    handler = forms.ModelChoiceField(
        label="服务专员",
        queryset=User.objects.filter(role__in=FIELD_STAFF, is_active=True).order_by("pk"),
        empty_label="请选择",
    )


class ServiceForm(_Named, forms.Form):
    kind = forms.ChoiceField(label="服务事项", choices=[("", "请选择"), *ServiceKind.choices])
    served_on = forms.DateField(label="服务日期", widget=DateInput)
    advice = forms.CharField(label="服务内容与建议", max_length=2000, widget=forms.Textarea)
    document = MaterialField(label="相关文件（选填）", required=False)

    def clean_served_on(self) -> Any:
        return _not_future(self.cleaned_data.get("served_on"), "服务日期")


class FollowUpForm(_Named, forms.Form):
    contact = forms.CharField(label="联系人与方式", max_length=120)
    progress = forms.CharField(label="注册进展", max_length=2000, widget=forms.Textarea)
    needs = forms.CharField(
        label="新的需求", max_length=2000, widget=forms.Textarea, required=False
    )


class ReviewerForm(_Named, forms.Form):
    expert = forms.ModelChoiceField(
        label="预审专家",
        queryset=User.objects.filter(role__in=EXPERTS, is_active=True).order_by("pk"),
        empty_label="请选择",
    )


DOSSIER_SLOTS = 3


class ApplyReviewForm(VersionForm):
    """Up to three documents per round; the first is required."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, DOSSIER_SLOTS + 1):
            first = i == 1
            self.fields[f"title_{i}"] = forms.CharField(
                label=f"资料 {i} 名称", max_length=120, required=first
            )
            self.fields[f"file_{i}"] = MaterialField(label=f"资料 {i} 文件", required=first)
        _name_errors(self)
        for i in range(1, DOSSIER_SLOTS + 1):
            self.fields[f"file_{i}"].error_messages["required"] = f"资料 {i} 文件：请上传文件"

    def clean(self) -> dict:
        data = super().clean()
        for i in range(2, DOSSIER_SLOTS + 1):
            if bool(data.get(f"title_{i}")) != bool(data.get(f"file_{i}")):
                self.add_error(f"file_{i}", f"资料 {i}：名称和文件须同时填写")
        return data

    @property
    def documents(self) -> list[tuple[str, Any]]:
        data = self.cleaned_data
        return [
            (data[f"title_{i}"], data[f"file_{i}"])
            for i in range(1, DOSSIER_SLOTS + 1)
            if data.get(f"title_{i}") and data.get(f"file_{i}")
        ]


class CommentReviewForm(VersionForm):
    """A comment and a nonconformity mark per document of the current round."""

    takes = ("record",)
    verdict = forms.ChoiceField(
        label="预审结论",
        choices=[("", "请选择"), ("return", "退回补正"), ("pass", "预审通过")],
    )

    def __init__(self, *args: Any, record: ProductArchive | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.documents = (
            list(record.dossier.filter(round=record.review_round)) if record is not None else []
        )
        for document in self.documents:
            self.fields[f"comment_{document.pk}"] = forms.CharField(
                label=f"“{document.title}”的预审意见", max_length=2000, required=False
            )
            self.fields[f"nonconforming_{document.pk}"] = forms.BooleanField(
                label=f"“{document.title}”为不符合项", required=False
            )
        _name_errors(self)

    @property
    def comments(self) -> dict[int, tuple[str, bool]]:
        data = self.cleaned_data
        return {
            d.pk: (data.get(f"comment_{d.pk}", ""), bool(data.get(f"nonconforming_{d.pk}")))
            for d in self.documents
        }


class FindingForm(_Named, forms.Form):
    grade = forms.ChoiceField(label="缺陷等级", choices=[("", "请选择"), *Grade.choices])
    description = forms.CharField(label="缺陷描述", max_length=2000, widget=forms.Textarea)
    found_on = forms.DateField(label="检查日期", widget=DateInput)

    def clean_found_on(self) -> Any:
        return _not_future(self.cleaned_data.get("found_on"), "检查日期")


class _FindingChoice(_Named, forms.Form):
    takes = ("record",)

    def __init__(self, *args: Any, record: ProductArchive | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        open_findings = InspectionFinding.objects.filter(closed_at__isnull=True)
        self.fields["finding"] = forms.ModelChoiceField(
            label="缺陷",
            queryset=open_findings.filter(archive=record) if record else open_findings.none(),
            empty_label="请选择",
        )
        self.order_fields(["finding"])
        _name_errors(self)


class RectifyForm(_FindingChoice):
    rectification = forms.CharField(label="整改情况", max_length=2000, widget=forms.Textarea)


class CloseFindingForm(_FindingChoice):
    pass
