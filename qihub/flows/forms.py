"""The forms of guided flows: the page and the API validate the same ones."""

from typing import Any

from django import forms

from qihub.accounts.models import MemberKind
from qihub.accounts.org_field import OrganisationField
from qihub.accounts.uploads import MaterialField
from qihub.flows.models import Actor

FLOW_CODES = [(c, f"附录 {c}") for c in "ABCDEF"]


class VersionForm(forms.Form):
    """The version the actor saw: a stale one means someone else acted first."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "版本号：必须填写，请刷新页面后重试",
            "invalid": "版本号：应为整数",
        },
    )


class DocumentField(MaterialField):
    """Every upload's checks, with the field named in each message."""

    def clean(self, data: object, initial: object = None) -> object:
        try:
            return super().clean(data, initial)
        except forms.ValidationError as exc:
            raise forms.ValidationError([f"上传文件：{m}" for m in exc.messages]) from exc


class TickForm(VersionForm):
    position = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": "步骤：必须指明要办理的步骤，请刷新页面后重试",
            "invalid": "步骤：应为整数",
            "min_value": "步骤：序号应大于 0",
        },
    )
    note = forms.CharField(
        label="办理说明",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "办理说明：不能超过 500 字"},
    )
    document = DocumentField(label="上传文件（PDF、JPG 或 PNG，不超过 10 MB）", required=False)


class CancelForm(VersionForm):
    reason = forms.CharField(
        label="撤销原因",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "撤销原因：必须填写",
            "max_length": "撤销原因：不能超过 300 字",
        },
    )


class StartForm(forms.Form):
    """Starting a run: staff name the enterprise; an enterprise starts for itself."""

    subject = forms.CharField(
        label="办理事项说明",
        max_length=200,
        required=False,
        help_text="例如：药品生产许可证换发",
        error_messages={"max_length": "办理事项说明：不能超过 200 字"},
    )
    enterprise = OrganisationField(label="企业", kinds=[MemberKind.ENTERPRISE], required=False)

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if staff:
            self.fields["enterprise"].required = True
            self.fields["enterprise"].error_messages["required"] = "企业：必须填写"
        else:
            del self.fields["enterprise"]


class TemplateForm(forms.Form):
    title = forms.CharField(
        label="流程名称",
        max_length=100,
        error_messages={
            "required": "流程名称：必须填写",
            "max_length": "流程名称：不能超过 100 字",
        },
    )
    source = forms.CharField(
        label="依据条款",
        max_length=200,
        error_messages={
            "required": "依据条款：必须填写",
            "max_length": "依据条款：不能超过 200 字",
        },
    )
    summary = forms.CharField(
        label="说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    change_note = forms.CharField(
        label="修订说明",
        max_length=300,
        error_messages={
            "required": "修订说明：必须填写",
            "max_length": "修订说明：不能超过 300 字",
        },
    )


class StepForm(forms.Form):
    title = forms.CharField(label="步骤", max_length=120, required=False)
    actor = forms.ChoiceField(label="办理方", choices=Actor.choices, initial=Actor.ENTERPRISE)
    documents = forms.CharField(label="需提交的文件（可留空）", max_length=300, required=False)
    limit_days = forms.IntegerField(
        label="时限（工作日，可留空）", min_value=1, max_value=60, required=False
    )
    source_note = forms.CharField(label="出处", max_length=200, required=False)
    link = forms.CharField(label="衔接页面（可留空）", max_length=200, required=False)
    link_label = forms.CharField(label="衔接页面名称", max_length=60, required=False)

    def clean_link(self) -> str:
        link = self.cleaned_data["link"].strip()
        if link and not (link.startswith("/") or link.startswith("https://")):
            raise forms.ValidationError("以 / 开头的本平台页面或以 https:// 开头的网址")
        return link


StepFormSet = forms.formset_factory(StepForm, extra=1, can_delete=True)


def step_rows(formset: Any) -> tuple[list[dict], list[str]]:
    """The steps the operator kept (blank and deleted rows dropped) and the errors, each naming
    the row and the field."""
    rows: list[dict] = []
    errors: list[str] = []
    for number, form in enumerate(formset.forms, start=1):
        if not form.is_valid():
            for name, messages in form.errors.items():
                label = form.fields[name].label if name in form.fields else "步骤"
                errors += [f"第 {number} 行 {label}：{m}" for m in messages]
            continue
        data = form.cleaned_data
        if not data or data.get("DELETE") or not data.get("title", "").strip():
            continue
        rows.append(
            {
                "title": data["title"].strip(),
                "actor": data["actor"],
                "documents": data["documents"].strip(),
                "limit_days": data["limit_days"],
                "source_note": data["source_note"].strip(),
                "link": data["link"],
                "link_label": data["link_label"].strip(),
            }
        )
    return rows, errors
