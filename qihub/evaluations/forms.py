from django import forms

from qihub.evaluations.models import INDICATORS, EvaluationChannel

STARS = [(n, f"{n} 分") for n in range(5, 0, -1)]


class EvaluationForm(forms.Form):
    def __init__(self, *args: object, staff: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if staff:
            offline = [c for c in EvaluationChannel.choices if c[0] != "online"]
            self.fields["channel"] = forms.ChoiceField(label="评价渠道", choices=offline, error_messages={
                "required": "评价渠道：请选择", "invalid_choice": "评价渠道：不是可选的值"})  # fmt: skip
        for key, label in INDICATORS.items():
            self.fields[key] = forms.TypedChoiceField(
                label=label, choices=STARS, coerce=int, widget=forms.RadioSelect,
                error_messages={"required": f"{label}：请打分", "invalid_choice": f"{label}：请打 1–5 分"})  # fmt: skip
        self.fields["comment"] = forms.CharField(label="评价意见", max_length=500, required=False,
                                                 widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class ScheduleForm(forms.Form):
    on = forms.DateField(
        label="计划回访日期", widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "计划回访日期：必须填写", "invalid": "计划回访日期：应为日期"},
    )  # fmt: skip


class VisitResultForm(forms.Form):
    visit = forms.IntegerField(widget=forms.HiddenInput)
    method = forms.ChoiceField(
        label="回访方式", choices=[(m, m) for m in ("电话", "上门", "短信", "线上")]
    )
    result = forms.CharField(label="回访结果", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "回访结果：必须填写"})  # fmt: skip
    satisfied = forms.NullBooleanField(label="客户是否满意", widget=forms.Select(
        choices=[("unknown", "未表态"), ("true", "满意"), ("false", "不满意")]))  # fmt: skip
