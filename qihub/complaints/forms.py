from django import forms
from django.db.models import QuerySet

from qihub.accounts.callers import CALLER, CallerFields
from qihub.accounts.models import MemberKind, Station, User
from qihub.accounts.org_field import ClientField, OrganisationField
from qihub.accounts.roles import CLIENTS, FIELD_STAFF
from qihub.accounts.uploads import MaterialField
from qihub.complaints.models import (
    ComplaintChannel,
    ComplaintType,
    OpinionChannel,
    OpinionKind,
    Target,
)


class ComplaintForm(forms.Form):
    """The one complaint form (CMP-1); staff add the channel and the complainant."""

    target = forms.ChoiceField(label="被投诉方类型", choices=Target.choices)
    against = OrganisationField(label="被投诉机构", kinds=[MemberKind.INSTITUTION], required=False)
    # Stations are few: a plain select. Staff: one select grouped by station, so the
    # complainant picks the station and then the name within it (no script needed).
    against_station = forms.ModelChoiceField(
        label="被投诉站点/窗口（投诉站点时选择）",
        queryset=Station.objects.filter(active=True),
        required=False,
        empty_label="请选择站点",
    )
    against_staff = forms.TypedChoiceField(
        label="被投诉工作人员（投诉工作人员时选择：先找所在站点，再选姓名）",
        coerce=int,
        required=False,
        empty_value=None,
    )
    against_name = forms.CharField(
        label="不在列表中的工作人员（填写窗口号、工号或特征）", max_length=100, required=False
    )
    type = forms.ModelChoiceField(
        label="投诉类型", queryset=ComplaintType.objects.filter(active=True)
    )
    content = forms.CharField(
        label="投诉内容", max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )
    request = forms.CharField(
        label="投诉诉求", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    order = forms.CharField(label="关联订单编号（可选）", max_length=20, required=False)
    attachment = MaterialField(label="证据材料（PDF/JPG/PNG，可选）", required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["against_staff"].choices = [("", "请选择工作人员"), *staff_choices()]
        # Only the fields of the chosen target show (static/qihub/site.js, docs/ui.md).
        for name, target in [
            ("against", Target.INSTITUTION),
            ("against_station", Target.STATION),
            ("against_staff", Target.STAFF),
            ("against_name", Target.STAFF),
        ]:
            self.fields[name].widget.attrs["data-show-when"] = f"target:{target}"
        for field in self.fields.values():
            short = field.label.split("（")[0]
            field.error_messages["required"] = f"{short}：必须填写"
            field.error_messages["invalid_choice"] = f"{short}：不是可选的值"
            field.error_messages["max_length"] = f"{short}：最多 %(limit_value)d 个字"

    def clean(self) -> dict:
        data = super().clean()
        staff_id = data.get("against_staff")
        data["against_staff"] = (
            complainable_staff().filter(pk=staff_id).first() if staff_id else None
        )
        if data.get("target") == Target.STATION and data.get("against_station") is None:
            self.add_error("against_station", "被投诉站点/窗口：请选择")
        elif data.get("target") == Target.STAFF and not (
            data["against_staff"] or data.get("against_name", "").strip()
        ):
            self.add_error("against_staff", "被投诉工作人员：请选择，或填写窗口号、工号或特征")
        if data.get("target") == Target.INSTITUTION:
            organisation = data.get("against")
            if organisation is None and "against" not in self.errors:
                self.add_error("against", "被投诉机构：必须填写（输入名称后从提示中选择）")
            data["against_organisation"] = organisation
        return data


def complainable_staff() -> QuerySet[User]:
    """The people a client meets: operators and station staff, active accounts."""
    return User.objects.filter(role__in=FIELD_STAFF, is_active=True)


def staff_choices(key: str = "pk") -> list[tuple[str, list[tuple[object, str]]]]:
    """Staff grouped by station (operators without a station under the operating body), each
    as (its `key` attribute, its name): the complaint form takes the id, the findings the
    account name the action takes."""
    groups: dict[str, list[tuple[object, str]]] = {}
    rows = complainable_staff().select_related("station").order_by("station__name", "pk")
    for user in rows:
        station = user.station.name if user.station else "平台运营机构"
        groups.setdefault(station, []).append((getattr(user, key), user.shown_name))
    return list(groups.items())


class StaffComplaintForm(CallerFields, ComplaintForm):
    """Staff register a complaint received by phone, at the window or by letter, for an existing
    account or for a caller without one (issue 15, ADR 0012)."""

    account_field = "complainant"
    caller_channels = frozenset(
        {ComplaintChannel.PHONE, ComplaintChannel.WINDOW, ComplaintChannel.LETTER}
    )

    complainant = ClientField(label="投诉人", required=False)
    channel = forms.ChoiceField(
        label="渠道", choices=[c for c in ComplaintChannel.choices if c[0] != "web"]
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client_kind"].label = "投诉人类型"
        self.fields["caller_name"].label = "投诉人姓名（无账户时填写）"
        self.fields["caller_mobile"].label = "投诉人手机号码（无账户时填写）"
        self.order_fields(["client_kind", "complainant", "caller_name", "caller_mobile", "channel"])

    def clean_complainant(self) -> User | None:
        user = self.cleaned_data.get("complainant")
        if self.cleaned_data.get("client_kind") == CALLER or user is None:
            return None  # a caller has no account; an empty account is refused in clean()
        if user is None or user.role not in CLIENTS:
            raise forms.ValidationError("投诉人：未找到该企业或个人用户")
        return user

    def clean(self) -> dict:
        data = super().clean()
        self.caller_clean(data, "渠道")
        return data


class VersionForm(forms.Form):
    """The version the actor saw: a stale one means someone else acted first."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "版本号：必须填写，请刷新页面后重试",
            "invalid": "版本号：应为整数",
        },
    )


def _text(label: str, *, required: bool = True, max_length: int = 3000) -> forms.CharField:
    """The action forms share the field name `text` (pages and API clients post it); the label
    and the message name what the text is."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": f"{label}：必须填写",
            "max_length": f"{label}：最多 %(limit_value)d 个字",
        },
    )


class FindingsForm(VersionForm):
    text = _text("调查核实情况")
    staff = forms.CharField(
        label="被投诉工作人员账号（投诉工作人员时填写）",
        max_length=150,
        required=False,
        error_messages={"max_length": "被投诉工作人员账号：最多 %(limit_value)d 个字"},
    )


class ForwardForm(VersionForm):
    text = _text("转交说明", required=False, max_length=500)


class RespondForm(VersionForm):
    text = _text("机构答复")


class DecideForm(VersionForm):
    substantiated = forms.TypedChoiceField(
        label="投诉是否属实",
        choices=[("yes", "属实"), ("no", "不属实")],
        coerce=lambda v: v == "yes",
        error_messages={
            "required": "投诉是否属实：请选择",
            "invalid_choice": "投诉是否属实：请选择属实或不属实",
        },
    )
    decision = _text("处理决定", max_length=2000)


class FeedbackForm(VersionForm):
    text = _text("反馈投诉人的处理结果")


class PauseForm(forms.Form):
    reason = forms.CharField(
        label="暂停原因",
        max_length=300,
        error_messages={
            "required": "暂停原因：必须填写",
            "max_length": "暂停原因：最多 %(limit_value)d 个字",
        },
    )


class ResumeForm(forms.Form):
    note = forms.CharField(
        label="恢复说明（可选）",
        max_length=300,
        required=False,
        error_messages={"max_length": "恢复说明：最多 %(limit_value)d 个字"},
    )


class RateForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label="对处理结果是否满意",
        choices=[("yes", "满意"), ("no", "不满意")],
        coerce=lambda v: v == "yes",
        error_messages={
            "required": "对处理结果是否满意：请选择",
            "invalid_choice": "对处理结果是否满意：请选择满意或不满意",
        },
    )


class OpinionForm(forms.Form):
    """The suggestion box (CMP-3); staff also choose the channel."""

    kind = forms.ChoiceField(label="意见类别", choices=OpinionKind.choices)
    content = forms.CharField(
        label="意见内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    contact = forms.CharField(label="联系方式（可选，便于答复）", max_length=50, required=False)

    def __init__(self, *args: object, staff: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if staff:
            self.fields["channel"] = forms.ChoiceField(
                label="渠道", choices=[c for c in OpinionChannel.choices if c[0] != "box"]
            )
            self.order_fields(["channel"])
        for field in self.fields.values():
            field.error_messages["required"] = f"{field.label}：必须填写"
            field.error_messages["invalid_choice"] = f"{field.label}：不是可选的值"
            field.error_messages["max_length"] = f"{field.label}：最多 %(limit_value)d 个字"


class CloseOpinionForm(forms.Form):
    reply = forms.CharField(
        label="答复",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "答复：最多 %(limit_value)d 个字"},
    )
    improvement = forms.CharField(
        label="改进措施（无需改进的写明理由）",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "改进措施：必须填写（无需改进的写明理由）",
            "max_length": "改进措施：最多 %(limit_value)d 个字",
        },
    )
