from django import forms

from qihub.filing.models import RetentionRule


class DestroyForm(forms.Form):
    opinion = forms.CharField(
        label="鉴定意见",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "鉴定意见：请填写鉴定销毁的理由"},
    )


class ExtendForm(forms.Form):
    years = forms.IntegerField(
        label="延长年数",
        min_value=1,
        max_value=30,
        error_messages={
            "required": "延长年数：请填写 1 至 30 之间的整数",
            "invalid": "延长年数：请填写 1 至 30 之间的整数",
            "min_value": "延长年数：至少延长 1 年",
            "max_value": "延长年数：一次最多延长 30 年",
        },
    )
    opinion = forms.CharField(
        label="鉴定意见",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "鉴定意见：请填写延长保管的理由"},
    )


class RetentionRuleForm(forms.ModelForm):
    class Meta:
        model = RetentionRule
        fields = ["retention", "unit_code", "unit_name"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        kind = self.instance.get_kind_display()
        for field in self.fields.values():
            field.error_messages["required"] = f"{kind}的{field.label}：请填写"
        self.fields["unit_code"].help_text = "写入档号，2 至 6 位大写字母或数字"

    def clean_unit_code(self) -> str:
        return self.cleaned_data["unit_code"].strip().upper()
