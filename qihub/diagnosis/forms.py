"""The forms of the diagnosis and showcase pages; the API reads the same forms (`form_body`)."""

import datetime as dt

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone

from qihub.accounts.models import MemberKind
from qihub.accounts.org_field import OrganisationField
from qihub.accounts.uploads import MaterialField
from qihub.diagnosis.models import Severity, ShowcaseKind, VisitKind


def said(label: str, **more: str) -> dict[str, str]:
    """Error messages that name the field, as every form of the platform does."""
    return {
        "required": f"{label}：必须填写",
        "max_length": f"{label}：最多 %(limit_value)d 个字",
        "invalid": f"{label}：格式不正确",
        "invalid_choice": f"{label}：请从列表中选择",
        **more,
    }


def _text(label: str, max_length: int, *, rows: int = 0, required: bool = True) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(
        label=label if required else f"{label}（可选）",
        max_length=max_length,
        required=required,
        widget=widget,
        error_messages=said(label),
    )


class VisitForm(forms.Form):
    """A diagnosis visit: which enterprise, when, what kind, who went, what was found."""

    enterprise = OrganisationField(label="被诊断企业", kinds=[MemberKind.ENTERPRISE])
    visited_on = forms.DateField(
        label="诊断日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=said("诊断日期", invalid="诊断日期：请按“年-月-日”填写，如 2026-05-08"),
    )
    kind = forms.ChoiceField(
        label="诊断类型", choices=VisitKind.choices, error_messages=said("诊断类型")
    )
    visitors = _text("诊断人员", 200)
    findings = _text("诊断发现", 5000, rows=4)

    def clean_visited_on(self) -> dt.date:
        day = self.cleaned_data["visited_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("诊断日期：不能晚于今天")
        return day

    def clean(self) -> dict:
        data = super().clean()
        for name, label in (("visitors", "诊断人员"), ("findings", "诊断发现")):
            if name in data and not data[name].strip():
                self.add_error(name, f"{label}：必须填写")
        return data


class ProblemForm(forms.Form):
    """One problem found on the visit, its proposed solution and the agreed due date."""

    description = _text("问题描述", 1000, rows=2)
    severity = forms.ChoiceField(
        label="严重程度", choices=Severity.choices, error_messages=said("严重程度")
    )
    solution = _text("建议解决措施", 1000, rows=2)
    due_date = forms.DateField(
        label="整改期限",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=said("整改期限", invalid="整改期限：请按“年-月-日”填写，如 2026-06-30"),
    )

    def clean_due_date(self) -> dt.date:
        day = self.cleaned_data["due_date"]
        if day <= timezone.localdate():
            raise forms.ValidationError("整改期限：应晚于今天")
        if day > timezone.localdate() + dt.timedelta(days=366):
            raise forms.ValidationError("整改期限：不能超过一年")
        return day


class VersionForm(forms.Form):
    """The version the actor saw: a stale one means someone else acted first."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "版本号：必须填写，请刷新页面后重试",
            "invalid": "版本号：应为整数",
        },
    )


class AnswerForm(VersionForm):
    text = _text("整改情况", 1000, rows=2)


class SolvedForm(VersionForm):
    note = _text("说明", 500, rows=2, required=False)


class NotSolvedForm(VersionForm):
    note = _text("未解决原因", 500, rows=2)


class PhotoField(MaterialField):
    """The checks of every upload, narrowed to pictures, with the field named in each message."""

    IMAGES = ("image/jpeg", "image/png")

    def clean(self, data: object, initial: object = None) -> object:
        try:
            upload = super().clean(data, initial)
        except forms.ValidationError as exc:
            raise forms.ValidationError([f"照片：{m}" for m in exc.messages]) from exc
        if upload and getattr(upload, "sniffed_type", "") not in self.IMAGES:
            raise forms.ValidationError("照片：请上传 JPG 或 PNG 图片")
        return upload


class ShowcaseForm(forms.Form):
    """What an operator proposes to show; it stays hidden until the enterprise agrees."""

    kind = forms.ChoiceField(
        label="类别", choices=ShowcaseKind.choices, error_messages=said("类别")
    )
    title = _text("标题", 120)
    enterprise = OrganisationField(label="企业", kinds=[MemberKind.ENTERPRISE])
    summary = _text("简介", 3000, rows=4)
    year = forms.IntegerField(
        label="年度",
        min_value=1949,
        error_messages=said(
            "年度",
            invalid="年度：应为四位年份",
            min_value="年度：不能早于 %(limit_value)s 年",
            max_value="年度：不能晚于 %(limit_value)s 年",
        ),
    )
    honours = _text("所获荣誉", 500, required=False)
    photo = PhotoField(label="照片（可选，JPG 或 PNG，不超过 10 MB）", required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # This year is the latest a showcase can honour; read per form, not at import.
        this_year = timezone.localdate().year
        self.fields["year"].validators.append(
            MaxValueValidator(this_year, message=f"年度：不能晚于 {this_year} 年")
        )
        self.fields["year"].initial = this_year

    def clean(self) -> dict:
        data = super().clean()
        for name, label in (("title", "标题"), ("summary", "简介")):
            if name in data and not data[name].strip():
                self.add_error(name, f"{label}：必须填写")
        return data
