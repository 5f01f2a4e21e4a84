from django import forms

from qihub.accounts.models import MemberKind, Station
from qihub.accounts.org_field import OrganisationField
from qihub.core.widgets import rating_field
from qihub.evaluations.checks import CHECKLIST
from qihub.evaluations.models import INDICATORS, CheckKind, EvaluationChannel, Method
from qihub.evaluations.satisfaction import MODEL


class EvaluationForm(forms.Form):
    def __init__(self, *args: object, staff: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if staff:
            offline = [c for c in EvaluationChannel.choices if c[0] != "online"]
            self.fields["channel"] = forms.ChoiceField(
                label="评价渠道",
                choices=offline,
                error_messages={
                    "required": "评价渠道：请选择",
                    "invalid_choice": "评价渠道：不是可选的值",
                },
            )
        for key, label in INDICATORS.items():
            self.fields[key] = rating_field(label)
        self.fields["comment"] = forms.CharField(
            label="评价意见",
            max_length=500,
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )


class ScheduleForm(forms.Form):
    on = forms.DateField(
        label="计划回访日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "计划回访日期：必须填写", "invalid": "计划回访日期：应为日期"},
    )


class VisitResultForm(forms.Form):
    visit = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "回访：请选择", "invalid": "回访：编号应为整数"},
    )
    method = forms.ChoiceField(
        label="回访方式",
        choices=[(m, m) for m in ("电话", "上门", "短信", "线上")],
        error_messages={"required": "回访方式：请选择", "invalid_choice": "回访方式：不是可选的值"},
    )
    result = forms.CharField(
        label="回访结果",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "回访结果：必须填写"},
    )
    satisfied = forms.NullBooleanField(
        label="客户是否满意",
        widget=forms.Select(choices=[("unknown", "未表态"), ("true", "满意"), ("false", "不满意")]),
    )
    problems = forms.CharField(
        label="客户反映的问题",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "客户反映的问题：不能超过 1000 字"},
    )


class ScheduleServiceForm(ScheduleForm):
    """Schedule a visit for any closed service by its number (订单、咨询或委托书编号)."""

    service = forms.CharField(
        label="服务编号",
        max_length=30,
        help_text="订单编号、质量门诊咨询编号或全程代办委托书编号",
        error_messages={"required": "服务编号：必须填写"},
    )
    field_order = ["service", "on"]

    def clean_service(self) -> object:
        from qihub.agency.models import Entrustment
        from qihub.clinic.models import Consultation
        from qihub.orders.models import Order

        number = self.cleaned_data["service"].strip()
        for model in (Order, Consultation, Entrustment):
            found = model.objects.filter(number=number).first()
            if found is not None:
                return found
        raise forms.ValidationError("服务编号：没有该订单、咨询或委托书")


def _chinese_errors(form: forms.Form) -> None:
    for field in form.fields.values():
        field.error_messages.setdefault("required", f"{field.label}：必须填写")
        field.error_messages["required"] = f"{field.label}：必须填写"
        field.error_messages["invalid_choice"] = f"{field.label}：不是可选的值"
        field.error_messages["invalid"] = f"{field.label}：格式不正确"
        field.error_messages["max_length"] = f"{field.label}：最多 %(limit_value)d 个字"


class AnalysisForm(forms.Form):
    analysis = forms.CharField(
        label="不满意原因分析", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        _chinese_errors(self)


class OpenRectificationForm(forms.Form):
    complaint = forms.CharField(label="投诉编号", max_length=20, required=False)
    evaluation = forms.IntegerField(label="评价", required=False)
    problem = forms.CharField(
        label="存在问题", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        _chinese_errors(self)


class StepForm(forms.Form):
    """One step of a rectification, for the page and the API alike (version = as the actor saw it)."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "版本：必须填写", "invalid": "版本：应为整数"},
    )
    text = forms.CharField(
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "内容：必须填写", "max_length": "内容：最多 3000 个字"},
    )


class VerifyForm(StepForm):
    effective = forms.TypedChoiceField(
        choices=[("yes", "整改有效"), ("no", "整改未到位")],
        coerce=lambda v: v == "yes",
        error_messages={
            "required": "验证结论：请选择",
            "invalid_choice": "验证结论：请选择整改有效（yes）或整改未到位（no）",
        },
    )


class TrainingForm(forms.Form):
    held_on = forms.DateField(label="培训日期", widget=forms.DateInput(attrs={"type": "date"}))
    topic = forms.CharField(label="培训内容", max_length=200)
    passed = forms.TypedChoiceField(
        label="考核结果", choices=[("yes", "合格"), ("no", "不合格")], coerce=lambda v: v == "yes"
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        _chinese_errors(self)


class CampaignForm(forms.Form):
    title = forms.CharField(label="评价活动名称", max_length=100)
    method = forms.ChoiceField(label="评价方式", choices=Method.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label="季度", choices=[(q, f"第{q}季度") for q in range(1, 5)], coerce=int
    )
    institution = OrganisationField(
        label="被评机构（可选）", kinds=[MemberKind.INSTITUTION], required=False
    )
    station = forms.ModelChoiceField(
        label="被评站点（可选）", queryset=Station.objects.filter(active=True), required=False
    )
    evaluator = forms.CharField(label="评价主体（第三方评价必填）", max_length=100, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        _chinese_errors(self)


class QuestionnaireForm(forms.Form):
    """One questionnaire of the satisfaction model, a 1–5 score per indicator."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for indicator in MODEL:
            field = rating_field(f"{indicator.name}（{indicator.asks}）")
            field.error_messages = {
                "required": f"{indicator.name}：请打分",
                "invalid_choice": f"{indicator.name}：请打 1–5 分",
            }
            self.fields[indicator.code] = field
        self.fields["comment"] = forms.CharField(label="意见", max_length=500, required=False)


class WindowCheckForm(forms.Form):
    """The QHD Annex B checklist: each item passed or not, with a note when not."""

    kind = forms.ChoiceField(label="评价类型", choices=CheckKind.choices)
    checked_on = forms.DateField(label="评价日期", widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(label="总体意见", max_length=500, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        _chinese_errors(self)
        for item in CHECKLIST:
            self.fields[f"ok_{item.code}"] = forms.ChoiceField(
                label=f"【{item.section}】{item.text}",
                choices=[("yes", "符合"), ("no", "不符合")],
                widget=forms.RadioSelect,
                error_messages={"required": f"{item.section}“{item.text}”：请选择是否符合"},
            )
            self.fields[f"note_{item.code}"] = forms.CharField(
                label="问题说明", max_length=300, required=False
            )

    def results(self) -> dict[str, dict[str, object]]:
        data = self.cleaned_data
        return {
            item.code: {"ok": data[f"ok_{item.code}"] == "yes", "note": data[f"note_{item.code}"]}
            for item in CHECKLIST
        }
