from django import forms

from qihub.catalog.models import GuideVersion


class GuideForm(forms.ModelForm):
    class Meta:
        model = GuideVersion
        fields = [
            "acceptance_conditions",
            "materials",
            "process",
            "time_limit",
            "is_free",
            "fee",
            "legal_basis",
            "change_note",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("acceptance_conditions", "materials", "process", "legal_basis")
        }

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("is_free") and not (data.get("fee") or "").strip():
            self.add_error("fee", "收费事项请填写收费标准")
        if not (data.get("change_note") or "").strip():
            self.add_error("change_note", "请说明本次修订的内容")
        return data


class NoticeForm(forms.Form):
    """What the operator fills in to publish a notice on the home page."""

    title = forms.CharField(
        label="标题",
        max_length=120,
        error_messages={
            "required": "标题：必须填写",
            "max_length": "标题：最多 %(limit_value)d 个字",
        },
    )
    body = forms.CharField(
        label="正文",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "正文：必须填写",
            "max_length": "正文：最多 %(limit_value)d 个字",
        },
    )
    pinned = forms.BooleanField(label="置顶", required=False)

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("标题：必须填写")
        return title

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("正文：必须填写")
        return body


class WithdrawNoticeForm(forms.Form):
    """The version the operator saw: a stale one means someone else withdrew it first."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "版本号：必须填写，请刷新页面后重试",
            "invalid": "版本号：应为整数",
        },
    )
