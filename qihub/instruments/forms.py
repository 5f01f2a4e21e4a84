"""Instrument forms (INS-1), shared by pages and API."""

import datetime as dt
from typing import Any

from django import forms

from qihub.accounts.org_field import ClientField
from qihub.accounts.uploads import MaterialField
from qihub.instruments.models import Instrument, PermitBasis, ServiceMode
from qihub.stations.models import WEEKDAYS


class PhotoField(MaterialField):
    """A JPG or PNG of at most 10 MB, judged by its bytes, with the field named in each message."""

    def clean(self, data: object, initial: object = None) -> object:
        try:
            upload = super().clean(data, initial)
        except forms.ValidationError as exc:
            raise forms.ValidationError([f"仪器照片：{m}" for m in exc.messages]) from exc
        if upload and getattr(upload, "sniffed_type", "") not in ("image/jpeg", "image/png"):
            raise forms.ValidationError("仪器照片：请上传 JPG 或 PNG 图片")
        return upload


class InstrumentForm(forms.ModelForm):
    """The instrument, and the weekly hours it can be booked in (like an institution's
    appointment service)."""

    modes = forms.MultipleChoiceField(
        label="服务方式",
        choices=ServiceMode.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "服务方式：请至少选择一种",
            "invalid_choice": "服务方式：请从送样检测、自主上机、合作项目中选择",
        },
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="开放日",
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "开放日：请至少选择一天",
            "invalid_choice": "开放日：请从周一至周日中选择",
        },
    )
    opens = forms.TimeField(
        label="每日开放开始时间",
        initial=dt.time(9),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "开始时间：请填写", "invalid": "开始时间：格式应为 时:分"},
    )
    closes = forms.TimeField(
        label="每日开放结束时间",
        initial=dt.time(17),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": "结束时间：请填写", "invalid": "结束时间：格式应为 时:分"},
    )
    slot_minutes = forms.TypedChoiceField(
        label="每个时段",
        choices=[(30, "30 分钟"), (60, "1 小时"), (120, "2 小时"), (240, "半天（4 小时）")],
        coerce=int,
        initial=60,
        error_messages={"invalid_choice": "每个时段：请从列表中选择"},
    )
    needs_approval = forms.BooleanField(label="预约须经本机构审批", required=False, initial=True)
    photo = PhotoField(
        label="仪器照片（JPG 或 PNG，不超过 10 MB）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    class Meta:
        model = Instrument
        fields = [
            "name",
            "model",
            "maker",
            "capabilities",
            "location",
            "modes",
            "free",
            "price_per_sample",
            "price_per_hour",
            "rules",
            "listed",
        ]
        widgets = {
            "capabilities": forms.Textarea(attrs={"rows": 4}),
            "rules": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "name": {"required": "仪器名称：请填写", "max_length": "仪器名称：最多 100 字"},
            "model": {"required": "型号：请填写", "max_length": "型号：最多 100 字"},
            "maker": {"required": "生产厂家：请填写", "max_length": "生产厂家：最多 100 字"},
            "capabilities": {
                "required": "主要功能与技术参数：请填写",
                "max_length": "主要功能与技术参数：最多 2000 字",
            },
            "location": {"required": "存放地点：请填写", "max_length": "存放地点：最多 200 字"},
            "price_per_sample": {
                "invalid": "每样品价格：请填写金额",
                "max_digits": "每样品价格：金额过大",
                "max_decimal_places": "每样品价格：最多两位小数",
            },
            "price_per_hour": {
                "invalid": "每小时机时价格：请填写金额",
                "max_digits": "每小时机时价格：金额过大",
                "max_decimal_places": "每小时机时价格：最多两位小数",
            },
            "rules": {"max_length": "使用须知：最多 2000 字"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        resource = getattr(self.instance, "resource", None) if self.instance.pk else None
        if resource is not None:
            hours = list(resource.hours.all())
            self.initial.setdefault("weekdays", [h.weekday for h in hours])
            if hours:
                self.initial.setdefault("opens", hours[0].opens)
                self.initial.setdefault("closes", hours[0].closes)
            self.initial.setdefault("slot_minutes", resource.slot_minutes)
            self.initial.setdefault("needs_approval", resource.needs_approval)
        else:
            self.initial.setdefault("weekdays", [0, 1, 2, 3, 4])
            self.initial.setdefault("modes", [ServiceMode.TEST])

    def clean(self) -> dict:
        data = super().clean()
        for name in ("price_per_sample", "price_per_hour"):
            value = data.get(name)
            if value is not None and value < 0:
                self.add_error(name, f"{self.fields[name].label}：不能为负数")
        opens, closes = data.get("opens"), data.get("closes")
        if opens and closes and opens >= closes:
            self.add_error("closes", "结束时间：须晚于开始时间")
        modes = data.get("modes") or []
        if not data.get("free"):
            if ServiceMode.TEST in modes and data.get("price_per_sample") is None:
                self.add_error("price_per_sample", "每样品价格：提供送样检测时请填写，或勾选公益")
            if ServiceMode.OPERATE in modes and data.get("price_per_hour") is None:
                self.add_error("price_per_hour", "每小时机时价格：提供自主上机时请填写，或勾选公益")
        return data


class PermitForm(forms.Form):
    user = ClientField(label="用户（企业或个人）")
    basis = forms.ChoiceField(
        label="依据",
        choices=PermitBasis.choices,
        error_messages={
            "required": "依据：请选择培训或资质",
            "invalid_choice": "依据：请选择培训或资质",
        },
    )
    on = forms.DateField(
        label="培训或取得资质日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "培训或取得资质日期：请填写",
            "invalid": "培训或取得资质日期：格式应为 年-月-日",
        },
    )
    valid_until = forms.DateField(
        label="有效期至",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "有效期至：请填写", "invalid": "有效期至：格式应为 年-月-日"},
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("on") and data.get("valid_until") and data["valid_until"] < data["on"]:
            self.add_error("valid_until", "有效期至：不能早于培训或取得资质日期")
        return data
