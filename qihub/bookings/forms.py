"""The booking forms, shared by pages and API (ORD-3, INS-2)."""

import datetime as dt

from django import forms
from django.core import validators

from qihub.accounts.models import User
from qihub.bookings import links
from qihub.bookings.models import Purpose, Resource
from qihub.bookings.slots import purposes_for
from qihub.stations.models import WEEKDAYS


class BookForm(forms.Form):
    # Built with the resource and the booker when they are known (the page, the API): the
    # purposes fit the resource's kind and the link picker lists only the booker's own records.
    takes = ("resource", "user")

    start = forms.CharField(
        label="预约时段",
        max_length=16,
        error_messages={"required": "预约时段：请选择一个可预约的时段"},
    )
    slots = forms.IntegerField(
        label="时段数",
        min_value=1,
        max_value=8,
        initial=1,
        required=False,
        error_messages={
            "invalid": "时段数：请填写整数",
            "min_value": "时段数：至少 1 个",
            "max_value": "时段数：最多 8 个",
        },
    )
    purpose = forms.ChoiceField(
        label="事由",
        choices=Purpose.choices,
        error_messages={
            "required": "事由：请选择预约事由",
            "invalid_choice": "事由：请从可选的事由中选择",
        },
    )
    link = forms.CharField(
        label="关联订单或需求",
        max_length=40,
        required=False,
        help_text="选填：本次预约所办的订单或需求",
    )

    def __init__(
        self,
        *args: object,
        resource: Resource | None = None,
        user: User | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.resource = resource
        self.user = user
        if resource is not None:
            allowed = purposes_for(resource)
            self.fields["purpose"].choices = allowed
            # The same words as the booking check, so page and API refuse a purpose alike.
            self.fields["purpose"].error_messages["invalid_choice"] = "事由：请选择" + "、".join(
                label for _, label in allowed
            )
        self.link_choices: list[tuple[str, str]] = (
            links.choices(user, resource)
            if resource is not None and user is not None and user.is_authenticated
            else []
        )

    def clean_link(self) -> object:
        value = (self.cleaned_data.get("link") or "").strip()
        if not value:
            return None
        found = None
        if self.resource is not None and self.user is not None:
            found = links.resolve(self.user, self.resource, value)
        if found is None:
            raise forms.ValidationError("关联订单或需求：只能关联您本人在该机构或站点的订单或需求")
        return found


class PolicyForm(forms.ModelForm):
    """The owner's booking policy of one resource (INS-2, ORD-3)."""

    class Meta:
        model = Resource
        fields = [
            "slot_minutes",
            "min_slots",
            "max_slots",
            "horizon_days",
            "max_future",
            "gap_minutes",
            "per_day",
            "needs_approval",
        ]

    LIMITS = {
        "slot_minutes": (10, 480),
        "min_slots": (1, 16),
        "max_slots": (1, 16),
        "horizon_days": (1, 180),
        "max_future": (1, 50),
        "gap_minutes": (0, 240),
        "per_day": (1, 20),
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for name, (low, high) in self.LIMITS.items():
            field = self.fields[name]
            label = field.label
            field.min_value, field.max_value = low, high
            field.widget.attrs.update({"min": low, "max": high})
            field.validators = [v for v in field.validators if not hasattr(v, "limit_value")] + [
                validators.MinValueValidator(low, f"{label}：不能小于 {low}"),
                validators.MaxValueValidator(high, f"{label}：不能大于 {high}"),
            ]
            field.error_messages.update(
                {"required": f"{label}：必须填写", "invalid": f"{label}：请填写整数"}
            )

    def clean(self) -> dict:
        data = super().clean()
        low, high = data.get("min_slots"), data.get("max_slots")
        if low is not None and high is not None and low > high:
            self.add_error("min_slots", "最少连续时段：不能多于最多连续时段")
        return data


class HoursForm(forms.Form):
    """The weekly hours: one line per weekday, up to two periods a day (morning, afternoon)."""

    def __init__(self, *args: object, initial_hours: list | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.day_names = dict(WEEKDAYS)
        given: dict[tuple[int, int], tuple] = {}
        counts: dict[int, int] = {}
        for hour in initial_hours or []:
            index = counts.get(hour.weekday, 0)
            if index < 2:
                given[(hour.weekday, index)] = (hour.opens, hour.closes)
            counts[hour.weekday] = index + 1
        for day, name in WEEKDAYS:
            for index in range(2):
                opens, closes = given.get((day, index), (None, None))
                which = "上午" if index == 0 else "下午"
                for part, value, word in (("opens", opens, "开始"), ("closes", closes, "结束")):
                    self.fields[f"d{day}_{index}_{part}"] = forms.TimeField(
                        label=f"{name}第{index + 1}段{word}",
                        required=False,
                        initial=value,
                        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
                        error_messages={"invalid": f"{name}{which}时段{word}时间：格式应为 时:分"},
                    )

    def rows(self) -> list[tuple[str, list]]:
        """The bound fields by weekday, for the template."""
        return [
            (
                name,
                [(self[f"d{day}_{i}_opens"], self[f"d{day}_{i}_closes"]) for i in range(2)],
            )
            for day, name in WEEKDAYS
        ]

    def clean(self) -> dict:
        data = super().clean()
        self.periods: list[tuple[int, dt.time, dt.time]] = []
        for day, name in WEEKDAYS:
            spans = []
            for index in range(2):
                opens = data.get(f"d{day}_{index}_opens")
                closes = data.get(f"d{day}_{index}_closes")
                key = f"d{day}_{index}_opens"
                if key in self.errors or f"d{day}_{index}_closes" in self.errors:
                    continue
                if opens is None and closes is None:
                    continue
                if opens is None or closes is None:
                    self.add_error(key, f"{name}第{index + 1}段：开始和结束时间都要填写")
                    continue
                if opens >= closes:
                    self.add_error(key, f"{name}第{index + 1}段：结束时间须晚于开始时间")
                    continue
                spans.append((index, opens, closes))
            spans.sort(key=lambda span: span[1])
            for (_, _, first_close), (index, second_open, _) in zip(spans, spans[1:], strict=False):
                if second_open < first_close:
                    self.add_error(f"d{day}_{index}_opens", f"{name}：两个时段相互重叠，请调整")
            self.periods += [(day, opens, closes) for _, opens, closes in spans]
        return data


class VersionForm(forms.Form):
    """A step on a booking as the actor saw it (a stale page must not act)."""

    version = forms.IntegerField(
        label="版本",
        min_value=0,
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": "版本：请刷新页面后重试"},
    )


class AdjustForm(VersionForm):
    """Approve at another free slot (the page offers the free slots)."""

    start = forms.CharField(
        label="调整后的时段",
        max_length=16,
        error_messages={"required": "调整后的时段：请选择一个空闲时段"},
    )


class RefuseForm(VersionForm):
    reason = forms.CharField(
        label="拒绝理由",
        max_length=200,
        error_messages={"required": "拒绝理由：请填写", "max_length": "拒绝理由：最多 200 字"},
    )


class FinishForm(VersionForm):
    """Closing a booking; an instrument's owner may enter the use (INS-1): hours used, samples."""

    hours = forms.DecimalField(
        label="使用机时（小时）",
        required=False,
        min_value=0,
        max_value=1000,
        decimal_places=1,
        error_messages={
            "invalid": "使用机时：请填写数字",
            "min_value": "使用机时：不能为负数",
            "max_value": "使用机时：最多 1000 小时",
            "max_decimal_places": "使用机时：最多保留 1 位小数",
        },
    )
    samples = forms.IntegerField(
        label="样品数量",
        required=False,
        min_value=0,
        max_value=10000,
        error_messages={
            "invalid": "样品数量：请填写整数",
            "min_value": "样品数量：不能为负数",
            "max_value": "样品数量：最多 10000 个",
        },
    )
