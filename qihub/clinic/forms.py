"""The clinic's and the pool's forms; the API reads the same forms (`form_body`)."""

from typing import Any

from django import forms

from qihub.accounts.models import MemberKind, Role, User
from qihub.accounts.org_field import OrganisationField
from qihub.accounts.uploads import MaterialField
from qihub.catalog.models import Category
from qihub.clinic.models import Expert
from qihub.core.region_field import RegionField
from qihub.core.widgets import rating_field
from qihub.diagnosis.forms import VersionForm, said

ORGANISATIONS = [MemberKind.INSTITUTION, MemberKind.ENTERPRISE]


def _text(label: str, max_length: int, *, rows: int = 0, required: bool = True) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(
        label=label if required else f"{label}（可选）",
        max_length=max_length,
        required=required,
        widget=widget,
        error_messages=said(label),
    )


class _Blank(forms.Form):
    """Text fields of only spaces are as empty as no text."""

    def clean(self) -> dict:
        data = super().clean()
        for name, field in self.fields.items():
            if field.required and isinstance(data.get(name), str) and not data[name].strip():
                self.add_error(name, f"{str(field.label).split('（')[0]}：必须填写")
        return data


class AttachmentField(MaterialField):
    """The checks of every upload, with the field named in each message."""

    def clean(self, data: object, initial: object = None) -> object:
        try:
            return super().clean(data, initial)
        except forms.ValidationError as exc:
            raise forms.ValidationError([f"附件：{m}" for m in exc.messages]) from exc


class AskForm(_Blank):
    field = forms.ChoiceField(
        label="专业领域", choices=Category.choices, error_messages=said("专业领域")
    )
    title = _text("问题标题", 100)
    question = _text("问题描述", 3000, rows=5)
    institution = OrganisationField(
        label="涉及的服务机构（可选）", kinds=[MemberKind.INSTITUTION], required=False
    )
    region = RegionField(label="所在地区", levels=1)
    attachment = AttachmentField(label="附件（PDF/JPG/PNG，可选）", required=False)


class AskBackForm(_Blank, VersionForm):
    text = _text("追问内容", 1000, rows=3)


class ReplyForm(_Blank, VersionForm):
    text = _text("补充说明", 1000, rows=3)


class AnswerForm(_Blank, VersionForm):
    text = _text("答复内容", 5000, rows=6)
    needs_test = forms.BooleanField(
        label="建议进行检测（提问人可一键转为服务需求）", required=False
    )


class RateForm(VersionForm):
    rating = rating_field("答复评分")
    note = _text("评价意见", 500, rows=2, required=False)


class AssignForm(VersionForm):
    expert = forms.ModelChoiceField(
        label="专家",
        queryset=Expert.objects.filter(available=True),
        empty_label="请选择专家",
        error_messages=said("专家"),
    )


class ExpertForm(_Blank):
    """What an operator records of an expert (DEM-15)."""

    name = _text("姓名", 50)
    title = _text("职称", 50)
    organisation = OrganisationField(label="所在单位（可选）", kinds=ORGANISATIONS, required=False)
    fields_ = forms.MultipleChoiceField(
        label="专业领域",
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages=said("专业领域", required="专业领域：至少选择一项"),
    )
    keywords = _text("擅长方向（如：电能表 检定 甲醛检测）", 300, required=False)
    region = RegionField(label="服务地区", levels=1)
    available = forms.BooleanField(label="可接单（不勾选为暂停）", required=False, initial=True)
    max_open = forms.IntegerField(
        label="同时处理咨询上限",
        min_value=1,
        max_value=50,
        initial=5,
        error_messages=said(
            "同时处理咨询上限",
            invalid="同时处理咨询上限：应为整数",
            min_value="同时处理咨询上限：至少为 1",
            max_value="同时处理咨询上限：不能超过 50",
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "fields" is the form's own attribute: the field is posted as "fields_".
        self.fields["fields_"].widget.attrs["data-testid"] = "expert-fields"


class EnrolForm(ExpertForm):
    """Enrolling links an existing expert account not yet in the pool."""

    user = forms.ModelChoiceField(
        label="专家账户",
        queryset=User.objects.none(),
        empty_label="请选择专家账户",
        error_messages=said("专家账户"),
    )

    field_order = ["user"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            role=Role.EXPERT, is_active=True, expert_profile__isnull=True
        )
        self.fields["user"].label_from_instance = lambda u: u.display_name or u.party_name


class ConflictForm(forms.Form):
    organisation = OrganisationField(label="利益冲突单位", kinds=ORGANISATIONS)


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label="搜索问答", max_length=100, required=False)
    field = forms.ChoiceField(
        label="专业领域", choices=[("", "全部领域"), *Category.choices], required=False
    )
