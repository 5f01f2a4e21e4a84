"""The guidance forms, shared by pages and API (ENT-4, ENT-5). Every error names its field."""

from typing import Any

from django import forms
from django.utils import timezone

from qihub.guidance.models import (
    Declaration,
    DeclarationWindow,
    Declared,
    EnterpriseStandard,
    Level,
    WindowKind,
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
            "min_value": f"{label}：不能小于 %(limit_value)s",
            "max_value": f"{label}：不能大于 %(limit_value)s",
        }
        if isinstance(field, forms.DateField):
            messages["invalid"] = f"{label}：请按“年-月-日”填写日期，如 2026-03-01"
        if isinstance(field, forms.URLField):
            messages["invalid"] = f"{label}：请填写以 http:// 或 https:// 开头的网址"
        if isinstance(field, forms.IntegerField):
            messages["invalid"] = f"{label}：请填写整数"
        field.error_messages.update(messages)


class _Named:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _name_errors(self)  # type: ignore[arg-type]


class DateInput(forms.DateInput):
    input_type = "date"


class StandardForm(_Named, forms.ModelForm):
    """One of the enterprise's own standards (ENT-4)."""

    class Meta:
        model = EnterpriseStandard
        fields = [
            "number",
            "title",
            "product",
            "edition",
            "issued_on",
            "declared",
            "declared_on",
            "review_years",
        ]
        widgets = {"issued_on": DateInput, "declared_on": DateInput}

    def __init__(self, *args: Any, owner: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["review_years"].min_value = 1
        self.fields["review_years"].max_value = 10
        self.fields["review_years"].validators = []
        self.fields["number"].widget.attrs["placeholder"] = "如 Q/320200 001—2024"

    def clean_number(self) -> str:
        number = " ".join(self.cleaned_data["number"].split())
        taken = EnterpriseStandard.objects.filter(owner=self.owner, number=number)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("标准编号：贵企业已登记过该编号的标准")
        return number

    def clean_review_years(self) -> int:
        years = self.cleaned_data["review_years"]
        if not 1 <= years <= 10:
            raise forms.ValidationError("复审周期（年）：请填写 1 到 10 之间的整数")
        return years

    def clean(self) -> dict:
        data = super().clean()
        today = timezone.localdate()
        issued, declared_on = data.get("issued_on"), data.get("declared_on")
        if issued and issued > today:
            self.add_error("issued_on", "发布日期：不能晚于今天")
        if declared_on and declared_on > today:
            self.add_error("declared_on", "声明公开日期：不能晚于今天")
        if issued and declared_on and declared_on < issued:
            self.add_error("declared_on", "声明公开日期：不能早于发布日期")
        status = data.get("declared")
        if status and status != Declared.NOT_DECLARED and not declared_on:
            self.add_error("declared_on", "声明公开日期：已声明的标准请填写在平台上公开的日期")
        if status == Declared.NOT_DECLARED and declared_on:
            self.add_error("declared", "自我声明状态：填写了公开日期的标准请选择“已声明”或“需更新”")
        return data


class WindowForm(_Named, forms.ModelForm):
    """A declaration window an operator publishes (ENT-5)."""

    apply_url = forms.URLField(label="申报网址", required=False, assume_scheme="https")

    class Meta:
        model = DeclarationWindow
        fields = [
            "kind",
            "level",
            "title",
            "department",
            "opens_on",
            "closes_on",
            "eligibility",
            "materials",
            "apply_url",
            "basis",
        ]
        widgets = {
            "opens_on": DateInput,
            "closes_on": DateInput,
            "eligibility": forms.Textarea(attrs={"rows": 5}),
            "materials": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "请选择申报类别"), *WindowKind.choices]
        self.fields["level"].choices = [("", "不分级别"), *Level.choices]

    def clean(self) -> dict:
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "截止日期：不能早于开始日期")
        if "eligibility" in data and not any(
            line.strip() for line in data["eligibility"].splitlines()
        ):
            self.add_error("eligibility", "申报条件（每行一条）：至少写一条申报条件")
        return data


def _checklist_field(items: list[str]) -> forms.MultipleChoiceField:
    field = forms.MultipleChoiceField(
        label="我已满足的申报条件",
        choices=[(item, item) for item in items],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "我已满足的申报条件：请只勾选本申报列出的条件"},
    )
    # Each window has its own lines: the API schema says "strings", not one window's list.
    field.api_schema = {  # type: ignore[attr-defined]
        "type": "array",
        "items": {"type": "string"},
        "title": "我已满足的申报条件（申报条件的原文，每条一项）",
    }
    return field


class StartForm(forms.Form):
    """Self-check against a window's checklist and start following it."""

    takes = ("record",)

    def __init__(self, *args: Any, record: DeclarationWindow | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["met"] = _checklist_field(record.checklist if record else [])


class VersionForm(forms.Form):
    """A step on a declaration as the actor saw it (a stale page must not act)."""

    version = forms.IntegerField(
        label="版本",
        min_value=0,
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": "版本：请刷新页面后重试"},
    )


class RecheckForm(VersionForm):
    takes = ("record",)

    def __init__(self, *args: Any, record: Declaration | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["met"] = _checklist_field(record.window.checklist if record else [])


class ApproveForm(VersionForm):
    note = forms.CharField(
        label="评审结果说明",
        max_length=500,
        required=False,
        error_messages={"max_length": "评审结果说明：最多 500 个字"},
    )


class RejectForm(VersionForm):
    note = forms.CharField(
        label="未通过原因",
        max_length=500,
        error_messages={
            "required": "未通过原因：必须填写",
            "max_length": "未通过原因：最多 500 个字",
        },
    )
