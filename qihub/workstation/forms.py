"""The workstation's forms, shared by pages and API. Every error names its field."""

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from qihub.workstation.models import (
    CHECKLISTS,
    AllianceMember,
    Hospital,
    IndustryFigure,
    KeyProject,
    ManualVersion,
    ProjectKind,
    Talent,
    Town,
)


def name_errors(form: forms.BaseForm) -> None:
    """Prefix Django's generic messages with the field's label, so "必须填写" says which field."""
    for field in form.fields.values():
        label = field.label or ""
        field.error_messages.update(
            {
                "required": f"{label}：必须填写",
                "invalid": f"{label}：格式不正确",
                "invalid_choice": f"{label}：请从列表中选择",
                "max_length": f"{label}：最多 %(limit_value)d 个字",
                "min_value": f"{label}：不能小于 %(limit_value)s",
                "max_value": f"{label}：不能大于 %(limit_value)s",
                "max_digits": f"{label}：数字过大",
                "max_decimal_places": f"{label}：最多两位小数",
            }
        )
        if isinstance(field, forms.DateField):
            field.error_messages["invalid"] = f"{label}：请按“年-月-日”填写日期，如 2026-03-01"
        for validator in field.validators:
            if hasattr(validator, "message") and hasattr(validator, "limit_value"):
                validator.message = field.error_messages.get(validator.code, validator.message)


class Named:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name_errors(self)  # type: ignore[arg-type]


class DateInput(forms.DateInput):
    input_type = "date"


class FigureForm(Named, forms.ModelForm):
    class Meta:
        model = IndustryFigure
        fields = ["town", "year", "quarter", "enterprises", "above_scale", "output", "tax"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["town"].empty_label = "请选择乡镇（街道）"
        self.fields["quarter"].choices = [("", "请选择季度"), *self.fields["quarter"].choices[1:]]
        # Bounds set after the field is built need their validators too.
        for name, low, high in (("year", 2000, 2100), ("output", 0, None), ("tax", 0, None)):
            field = self.fields[name]
            field.min_value, field.max_value = low, high
            field.validators.append(MinValueValidator(low))
            if high is not None:
                field.validators.append(MaxValueValidator(high))
        name_errors(self)

    def clean(self) -> dict:
        data = super().clean()
        if (data.get("above_scale") or 0) > (data.get("enterprises") or 0):
            self.add_error("above_scale", "规上企业数：不能大于企业数量")
        return data

    def _get_validation_exclusions(self) -> set[str]:
        # A second report of a quarter replaces the first (the view updates it), so the
        # one-per-quarter constraint must not refuse it here.
        return {*super()._get_validation_exclusions(), "town"}


class TownForm(Named, forms.ModelForm):
    class Meta:
        model = Town
        fields = ["name"]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件",
        error_messages={
            "required": "Excel 文件：请选择要导入的文件",
            "empty": "Excel 文件：文件是空的",
        },
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx") or upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError("Excel 文件：请上传不超过 2 MB 的 .xlsx 文件（使用模板）")
        return upload


class HospitalForm(Named, forms.ModelForm):
    class Meta:
        model = Hospital
        fields = ["name", "filing_number", "specialties", "contact"]
        widgets = {"specialties": forms.Textarea(attrs={"rows": 3})}


class TalentForm(Named, forms.ModelForm):
    class Meta:
        model = Talent
        fields = ["name", "field", "title", "organisation", "contact"]


class AllianceMemberForm(Named, forms.ModelForm):
    class Meta:
        model = AllianceMember
        fields = ["organisation", "offers", "contact"]
        widgets = {"offers": forms.Textarea(attrs={"rows": 3})}


class ManualForm(Named, forms.ModelForm):
    class Meta:
        model = ManualVersion
        fields = ["updated_on", "items", "contacts", "how_to_apply", "change_note"]
        widgets = {
            "updated_on": DateInput,
            "items": forms.Textarea(attrs={"rows": 8}),
            "contacts": forms.Textarea(attrs={"rows": 3}),
            "how_to_apply": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_updated_on(self) -> Any:
        on = self.cleaned_data["updated_on"]
        last = ManualVersion.objects.first()
        if last is not None and on < last.updated_on:
            raise forms.ValidationError(
                f"更新日期：不能早于上一版的更新日期（{last.updated_on:%Y-%m-%d}）"
            )
        return on


class ProjectForm(Named, forms.ModelForm):
    class Meta:
        model = KeyProject
        fields = ["kind", "enterprise", "product"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "请选择推荐通道"), *ProjectKind.choices]


class VersionForm(forms.Form):
    """A step on a project as the actor saw it (a stale page must not act)."""

    version = forms.IntegerField(
        label="版本",
        min_value=0,
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": "版本：请刷新页面后重试"},
    )


class CheckForm(VersionForm):
    takes = ("record",)

    def __init__(self, *args: Any, record: KeyProject | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        points = CHECKLISTS.get(record.kind if record else ProjectKind.INNOVATION, [])
        self.fields["met"] = forms.MultipleChoiceField(
            label="已满足的遴选要点",
            choices=[(p, p) for p in points],
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": "已满足的遴选要点：请从列表中选择"},
        )


class SubmitForm(Named, VersionForm):
    on = forms.DateField(label="推送日期", widget=DateInput)
    number = forms.CharField(label="推送文号", max_length=60)


class CoachForm(Named, VersionForm):
    on = forms.DateField(label="辅导日期", widget=DateInput)
    coach = forms.CharField(label="辅导老师", max_length=60)
    notes = forms.CharField(
        label="辅导要点", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecideForm(Named, VersionForm):
    on = forms.DateField(label="结果日期", widget=DateInput)
    note = forms.CharField(label="结果说明", max_length=500, required=False)


class MatchForm(forms.Form):
    q = forms.CharField(label="想找什么", max_length=100, required=False)
