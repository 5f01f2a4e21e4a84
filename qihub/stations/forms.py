"""Forms of the station pages; every message names its field in Chinese."""

import datetime as dt

from django import forms
from django.utils import timezone

from qihub.accounts.models import Role, Station, User
from qihub.catalog.models import ServiceItem
from qihub.core.region_field import RegionField
from qihub.stations.models import (
    Area,
    Assessment,
    Membership,
    Period,
    Profile,
    UpkeepItem,
    UpkeepLog,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def chinese_errors(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        field.error_messages["required"] = f"{field.label}：必须填写"
        field.error_messages["invalid_choice"] = f"{field.label}：不是可选的值"
        field.error_messages["invalid"] = f"{field.label}：格式不正确"
        field.error_messages["max_length"] = f"{field.label}：最多 %(limit_value)d 个字"
        field.error_messages["min_value"] = f"{field.label}：不能小于 %(limit_value)s"
        field.error_messages["max_value"] = f"{field.label}：不能大于 %(limit_value)s"
        field.error_messages["invalid_pk_value"] = f"{field.label}：不是可选的值"


class StationForm(forms.ModelForm):
    region = RegionField(label="所在地区", levels=2, required=False)

    class Meta:
        model = Station
        fields = ["name", "kind", "unified_name", "mark", "region", "address", "phone"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        chinese_errors(self)
        self.fields["name"].error_messages["unique"] = "站点名称：已有同名站点"


class BoardForm(forms.ModelForm):
    """The notice board of WX 4.2.4; the station's head edits it too."""

    class Meta:
        model = Profile
        fields = ["organisation", "duties", "rules", "service_list", "process", "complaint_phone"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ["organisation", "duties", "rules", "service_list", "process"]
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        chinese_errors(self)


class ServicesForm(forms.ModelForm):
    services = forms.ModelMultipleChoiceField(
        label="提供的服务",
        queryset=ServiceItem.objects.order_by("category", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Profile
        fields = ["services"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        chinese_errors(self)


class PeriodForm(forms.ModelForm):
    class Meta:
        model = Period
        fields = ["weekday", "opens", "closes", "extended"]
        widgets = {"opens": TIME, "closes": TIME}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        chinese_errors(self)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("opens") and data.get("closes") and data["closes"] <= data["opens"]:
            self.add_error("closes", "结束时间：须晚于开始时间")
        return data


class MembershipForm(forms.ModelForm):
    takes = ("station",)

    class Meta:
        model = Membership
        fields = ["user", "full_time", "is_head"]

    def __init__(self, *args: object, station: Station, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.station = station
        self.fields["user"].queryset = User.objects.filter(
            role=Role.STATION_STAFF, station=station, membership__isnull=True
        )
        self.fields["user"].label_from_instance = lambda u: u.party_name
        self.fields["user"].empty_label = "请选择"
        chinese_errors(self)
        self.fields["user"].error_messages["unique"] = "工作人员：已登记"

    def clean(self) -> dict:
        data = super().clean()
        if data.get("is_head") and self.station.memberships.filter(is_head=True).exists():
            self.add_error("is_head", "运营负责人：本站点已有运营负责人，请先移除原负责人")
        return data


class AreaForm(forms.ModelForm):
    class Meta:
        model = Area
        fields = ["kind", "name", "note"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        chinese_errors(self)


class UpkeepItemForm(forms.ModelForm):
    takes = ("station",)
    due_on = forms.DateField(label="首次到期日", widget=DATE, required=False)

    class Meta:
        model = UpkeepItem
        fields = ["name", "cycle_days", "responsible", "remind_days", "due_on"]

    def __init__(self, *args: object, station: Station, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = User.objects.filter(station=station)
        self.fields["responsible"].label_from_instance = lambda u: u.party_name
        self.fields["responsible"].empty_label = "请选择"
        self.fields["cycle_days"].min_value = 1
        self.fields["cycle_days"].widget.attrs["min"] = 1
        chinese_errors(self)
        self.fields["due_on"].help_text = "不填则为今天起一个周期"

    def clean_cycle_days(self) -> int:
        days = self.cleaned_data["cycle_days"]
        if days < 1:
            raise forms.ValidationError("周期（天）：至少 1 天")
        return days

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("due_on") and data.get("cycle_days"):
            data["due_on"] = timezone.localdate() + dt.timedelta(days=data["cycle_days"])
        return data


class UpkeepLogForm(forms.ModelForm):
    class Meta:
        model = UpkeepLog
        fields = ["done_on", "result", "note"]
        widgets = {"done_on": DATE}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        chinese_errors(self)
        self.fields["result"].choices = self.fields["result"].choices[1:]

    def clean_done_on(self) -> dt.date:
        day = self.cleaned_data["done_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("检查日期：不能晚于今天")
        return day

    def clean(self) -> dict:
        data = super().clean()
        if data.get("result") and data["result"] != "ok" and not data.get("note"):
            self.add_error("note", "说明：发现问题时请写明情况")
        return data


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["training_hours", "campaigns", "note"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        chinese_errors(self)
