from django import forms

from qihub.accounts.models import Station
from qihub.accounts.uploads import MaterialField
from qihub.demands.forms import VersionForm
from qihub.orders.forms import CollectionForm
from qihub.samples.models import NO_SPECIAL

SPECIAL_CHOICES = [
    ("none", NO_SPECIAL),
    ("some", "有特殊要求（冷藏、避光、危险品、时限等）"),
]


class RegisterForm(forms.Form):
    name = forms.CharField(
        label="样品名称", max_length=100, error_messages={"required": "样品名称：必须填写"}
    )
    quantity = forms.IntegerField(
        label="数量",
        min_value=1,
        max_value=10000,
        initial=1,
        error_messages={
            "required": "数量：必须填写",
            "invalid": "数量：应为整数",
            "min_value": "数量：至少为 1",
            "max_value": "数量：不超过 10000",
        },
    )
    retained = forms.CharField(
        label="留样（部分与数量，可不填）",
        max_length=200,
        required=False,
        error_messages={"max_length": "留样：不超过 200 字"},
    )
    special = forms.ChoiceField(
        label="特殊要求",
        choices=SPECIAL_CHOICES,
        initial="none",
        widget=forms.RadioSelect,
        error_messages={
            "required": "特殊要求：请选择",
            "invalid_choice": "特殊要求：请从选项中选择",
        },
    )
    station = forms.ModelChoiceField(
        label="送样站点",
        queryset=Station.objects.filter(active=True),
        empty_label="请选择站点",
        error_messages={
            "required": "送样站点：请选择",
            "invalid_choice": "送样站点：请从列表中选择",
        },
    )

    def clean_special(self) -> str:
        # WX 5.2 a 1: stations accept only samples without special requirements.
        if self.cleaned_data["special"] != "none":
            raise forms.ValidationError(
                "特殊要求：站点只接收无特殊要求的样品，请与检测机构约定直接送样"
            )
        return NO_SPECIAL


class PhotoField(MaterialField):
    """The upload checks of every material, with the field named in each message."""

    def clean(self, data: object, initial: object = None) -> object:
        try:
            return super().clean(data, initial)
        except forms.ValidationError as exc:
            raise forms.ValidationError([f"样品照片：{m}" for m in exc.messages]) from exc


class ReceiveForm(VersionForm):
    checked = forms.BooleanField(
        label="已核对样品与登记信息一致",
        error_messages={"required": "核对：请核对样品名称、数量后勾选"},
    )
    photo = PhotoField(label="样品照片（JPG、PNG 或 PDF）")
    note = forms.CharField(label="说明", max_length=300, required=False)


class ReasonForm(VersionForm):
    reason = forms.CharField(
        label="原因", max_length=300, error_messages={"required": "原因：必须填写"}
    )


class DispatchForm(VersionForm):
    carrier = forms.CharField(
        label="转运人", max_length=50, error_messages={"required": "转运人：必须填写"}
    )


class AcceptForm(VersionForm):
    code = forms.CharField(
        label="交接码",
        max_length=20,
        error_messages={"required": "交接码：必须填写", "max_length": "交接码：不正确"},
    )


class HandOutForm(CollectionForm, VersionForm):
    pass


class ScanForm(forms.Form):
    q = forms.CharField(label="扫码或输入样品编号", max_length=300)
