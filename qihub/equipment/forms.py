import datetime as dt

from django import forms
from django.utils import timezone

from qihub.accounts.uploads import MaterialField
from qihub.equipment.models import (
    INSTRUMENT_SCHEDULE_KINDS,
    SELF_CHECK_POINTS,
    SPECIAL_KINDS,
    Item,
    Schedule,
    ScheduleKind,
)


class InstrumentForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = [
            "name",
            "model",
            "serial",
            "measuring_range",
            "accuracy",
            "location",
            "keeper",
            "compulsory",
        ]
        labels = {"compulsory": "强制检定（强检）"}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["serial"].required = True
        for field in self.fields.values():
            field.error_messages["required"] = "必须填写"


class SpecialForm(forms.ModelForm):
    kind = forms.ChoiceField(label="设备类别", choices=[(k.value, k.label) for k in SPECIAL_KINDS])

    class Meta:
        model = Item
        fields = [
            "kind",
            "name",
            "model",
            "serial",
            "registration_no",
            "use_certificate_no",
            "location",
            "keeper",
        ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["registration_no"].required = True
        self.fields["keeper"].required = True
        for field in self.fields.values():
            field.error_messages["required"] = "必须填写"


def parse_levels(text: str) -> list[int]:
    parts = [
        p for p in text.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if p
    ]
    if not parts or not all(p.isdigit() for p in parts):
        raise forms.ValidationError("请填写到期前的天数，以逗号分隔，如 30,15,0")
    days = sorted({int(p) for p in parts}, reverse=True)
    if days[0] > 365 or len(days) > 5:
        raise forms.ValidationError("最多 5 个提醒，每个不超过 365 天")
    return days


class ScheduleForm(forms.Form):
    kind = forms.ChoiceField(label="管理方式")
    cycle_months = forms.IntegerField(
        label="周期（月）",
        min_value=1,
        max_value=120,
        error_messages={
            "required": "必须填写",
            "invalid": "请填写整数",
            "min_value": "应为 1～120 的整数",
            "max_value": "应为 1～120 的整数",
        },
    )
    last_done = forms.DateField(
        label="上次完成日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "日期格式应为“年-月-日”，如 2026-07-01"},
    )
    due_on = forms.DateField(
        label="下次到期日期",
        required=False,
        help_text="不填时按上次完成日期加周期计算",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "日期格式应为“年-月-日”，如 2026-07-01"},
    )
    levels = forms.CharField(
        label="提醒（到期前天数）", max_length=40, help_text="以逗号分隔，0 表示到期当天"
    )

    def __init__(self, *args: object, special: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        kinds = [ScheduleKind.INSPECTION] if special else INSTRUMENT_SCHEDULE_KINDS
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]
        self.fields["kind"].error_messages["invalid_choice"] = "请从列表中选择"
        self.fields["levels"].initial = "60,30,7" if special else "30,15,0"
        self.fields["levels"].error_messages["required"] = "必须填写"
        if special:
            # One duty, the periodic inspection; the equipment form's own 设备类别 is `kind`.
            del self.fields["kind"]
            self.fields["levels"].label = "三级预警（到期前天数）"

    def clean_levels(self) -> list[int]:
        return parse_levels(self.cleaned_data["levels"])

    def clean(self) -> dict:
        data = super().clean()
        data.setdefault("kind", ScheduleKind.INSPECTION)
        if not data.get("last_done") and not data.get("due_on") and not self.errors:
            self.add_error("due_on", "请填写上次完成日期或下次到期日期")
        last = data.get("last_done")
        if last and last > timezone.localdate():
            self.add_error("last_done", "不能晚于今天")
        return data


class LevelsForm(forms.Form):
    levels = forms.CharField(label="提醒（到期前天数）", max_length=40)

    def clean_levels(self) -> list[int]:
        return parse_levels(self.cleaned_data["levels"])


class CertificateForm(forms.Form):
    schedule = forms.ModelChoiceField(
        label="周期计划",
        queryset=Schedule.objects.none(),
        error_messages={"required": "请选择", "invalid_choice": "请从列表中选择"},
    )
    done_on = forms.DateField(
        label="完成日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "必须填写", "invalid": "日期格式应为“年-月-日”，如 2026-07-01"},
    )
    number = forms.CharField(label="证书/报告编号", max_length=60, required=False)
    issuer = forms.CharField(label="出具机构", max_length=200, required=False)
    conclusion = forms.CharField(label="结论", max_length=200, required=False)
    file = MaterialField(label="证书扫描件（PDF、JPG 或 PNG）")

    def __init__(self, *args: object, item: Item, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["schedule"].queryset = item.schedules.all()
        self.fields["schedule"].label_from_instance = lambda s: (
            f"{s.get_kind_display()}（到期 {s.due_on:%Y-%m-%d}）"
        )

    def clean_done_on(self) -> dt.date:
        done = self.cleaned_data["done_on"]
        if done > timezone.localdate():
            raise forms.ValidationError("不能晚于今天")
        return done


class ImportForm(forms.Form):
    file = forms.FileField(
        label="台账文件（.xlsx）",
        error_messages={"required": "请选择文件", "empty": "上传的文件是空的，请重新选择"},
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("文件不能超过 5 MB")
        return upload.read()


class SelfCheckForm(forms.Form):
    unmet = forms.MultipleChoiceField(
        label="不符合的检查项（未勾选的视为符合）",
        choices=[(key, text) for key, text in SELF_CHECK_POINTS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "请从列表中选择"},
    )
    note = forms.CharField(
        label="说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class GreenChannelForm(forms.Form):
    """申请绿色通道检验 (ENT-2): the reason the inspection cannot wait."""

    reason = forms.CharField(
        label="加急原因",
        max_length=300,
        error_messages={"required": "加急原因：必须填写", "max_length": "加急原因：不超过 300 字"},
        widget=forms.TextInput(attrs={"placeholder": "例如：设备检修后需尽快复检投入生产"}),
    )
