import datetime as dt
from typing import Any

from django import forms
from django.db import transaction
from django.utils import timezone

from qihub.accounts.callers import CALLER, CallerFields
from qihub.accounts.models import Document, DocumentKind, MemberKind, User
from qihub.accounts.org_field import ClientField, OrganisationField
from qihub.accounts.roles import CLIENTS, FIELD_STAFF
from qihub.accounts.uploads import MaterialField, upload_batch
from qihub.catalog.models import Category
from qihub.core.region_field import RegionField
from qihub.demands.models import Channel, ContactKind, Demand

REQUIRED = "{}：必须填写"


def _required(form: forms.Form) -> None:
    for field in form.fields.values():
        field.error_messages["required"] = REQUIRED.format(field.label)
        if isinstance(field, forms.ChoiceField):
            field.error_messages["invalid_choice"] = f"{field.label}：不是可选的值"


def clean_urgent(form: forms.Form, data: dict) -> None:
    """A request for the green channel names its reason (DEM-14); without the flag none is kept."""
    reason = (data.get("urgent_reason") or "").strip()
    if data.get("urgent") and not reason:
        form.add_error("urgent_reason", "加急原因：申请加急时必须填写")
    data["urgent_reason"] = reason if data.get("urgent") else ""


class DemandForm(forms.Form):
    """What an enterprise or individual needs (DEM-1); staff use it with a channel and client."""

    category = forms.ChoiceField(label="服务类别", choices=Category.choices)
    title = forms.CharField(label="需求标题", max_length=100)
    description = forms.CharField(
        label="需求描述",
        max_length=2000,
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "placeholder": "例如：我司生产 PE 给水管，需要按 GB/T 6111 做静液压强度检测",
            }
        ),
    )
    product = forms.CharField(label="产品/样品", max_length=200, required=False)
    standard = forms.CharField(label="依据标准（如已知）", max_length=200, required=False)
    region = RegionField(
        label="所在地区",
        levels=3,
        # The API still takes and shows the 6-digit code (ADR 0010).
        api_schema={
            "type": "string",
            "maxLength": 6,
            "minLength": 6,
            "title": "所在地区（6 位行政区划代码）",
        },
    )
    wished_by = forms.DateField(
        label="期望完成日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    attachment = MaterialField(label="附件（PDF/JPG/PNG，可选）", required=False)
    # The green channel (DEM-14): a reason is required with it (see `clean`).
    urgent = forms.BooleanField(
        label="申请加急（绿色通道）",
        required=False,
        widget=forms.CheckboxInput(attrs={"data-testid": "urgent"}),
    )
    urgent_reason = forms.CharField(
        label="加急原因",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "例如：产品急需出厂检验报告"}),
    )
    # Offered (as a checkbox with its label) only once a similar demand was found: see
    # `offer_similar`; until then it is a hidden field, so no label stands without its box.
    allow_similar = forms.BooleanField(
        label="仍然发布（这是一个新的需求）", required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        _required(self)

    def offer_similar(self, existing: Demand) -> None:
        """A similar demand was found: show it and the 仍然发布 checkbox, unticked."""
        self.similar = existing
        self.fields["allow_similar"].widget = forms.CheckboxInput(
            attrs={"class": "form-check-input", "data-testid": "allow-similar"}
        )

    def clean_wished_by(self) -> dt.date | None:
        wished = self.cleaned_data.get("wished_by")
        if wished and wished < timezone.localdate():
            raise forms.ValidationError("期望完成日期：不能早于今天")
        return wished

    def clean(self) -> dict:
        data = super().clean()
        clean_urgent(self, data)
        return data

    def demand_data(self) -> dict:
        keys = (
            "category",
            "title",
            "description",
            "product",
            "standard",
            "region",
            "wished_by",
            "urgent",
            "urgent_reason",
        )
        return {k: self.cleaned_data[k] for k in keys}

    def publish(self, **kwargs: Any) -> Demand:
        """Store the attachment and publish, in one transaction (pages and API alike): a refused
        demand leaves no file behind."""
        from qihub.demands import workflow

        with upload_batch() as batch, transaction.atomic():
            upload = self.cleaned_data.get("attachment")
            documents = [
                Document.objects.create(
                    # A caller has no account: the staff member who entered it keeps the file.
                    owner=kwargs.get("client") or kwargs["entered_by"],
                    kind=DocumentKind.SUPPORTING,
                    **batch.store(upload),
                )
                for upload in [upload]
                if upload
            ]
            return workflow.publish(
                data=self.demand_data(),
                documents=documents,
                allow_similar=self.cleaned_data["allow_similar"],
                **kwargs,
            )


class StaffDemandForm(CallerFields, DemandForm):
    """Staff enter a demand received by phone, on site, by e-mail or letter (DEM-1, DEM-2), for
    an existing verified account or for a caller without one (issue 15, ADR 0012)."""

    client = ClientField(label="需求提出人", required=False)
    channel = forms.ChoiceField(
        label="来源渠道", choices=[c for c in Channel.choices if c[0] != Channel.ONLINE]
    )

    field_order = ["client_kind", "client", "caller_name", "caller_mobile", "channel"]
    # The window is 现场 for demands; e-mail, visits and inspections come from known enterprises.
    caller_channels = frozenset({Channel.PHONE, Channel.LETTER, Channel.ON_SITE})

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        _required(self)

    def clean_client(self) -> User | None:
        user = self.cleaned_data.get("client")
        if self.cleaned_data.get("client_kind") == CALLER or user is None:
            return None  # a caller has no account; an empty account is refused in clean()
        if user is None or user.role not in CLIENTS:
            raise forms.ValidationError("需求提出人：未找到该企业或个人用户，请先协助其注册")
        if not user.verified_at:
            raise forms.ValidationError("需求提出人：该用户尚未通过实名审核")
        return user

    def clean(self) -> dict:
        data = super().clean()
        self.caller_clean(data, "来源渠道")
        return data


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class RespondForm(VersionForm):
    note = forms.CharField(
        label="响应说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReassignForm(VersionForm):
    to = forms.ModelChoiceField(
        label="新的第一受理人",
        queryset=User.objects.filter(role__in=FIELD_STAFF, is_active=True),
        error_messages={
            "required": "新的第一受理人：请选择",
            "invalid_choice": "新的第一受理人：不是可选的人员",
        },
    )
    reason = forms.CharField(label="变更原因", max_length=300)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "变更原因：必须填写"


class ShortlistForm(VersionForm):
    """Which shortlisted institutions stay (checkboxes named `included`), and one to add."""

    add = OrganisationField(label="人工添加机构", kinds=[MemberKind.INSTITUTION], required=False)

    def clean(self) -> dict:
        data = super().clean()
        raw = self.data.getlist("included") if hasattr(self.data, "getlist") else []
        try:
            data["included"] = {int(value) for value in raw}
        except ValueError:
            raise forms.ValidationError("推荐名单：提交的数据有误，请刷新后重试") from None
        return data


class SendForm(VersionForm):
    note = forms.CharField(
        label="推荐说明（发给企业）",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReferForm(VersionForm):
    searched = forms.CharField(
        label="平台外查找经过", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    found = forms.CharField(label="找到的平台外机构", max_length=300, required=False)
    feedback = forms.CharField(
        label="反馈给企业的内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        _required(self)


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=ContactKind.choices)
    method = forms.ChoiceField(
        label="方式", choices=[(m, m) for m in ("电话", "上门", "线上", "邮件", "现场")]
    )
    with_whom = forms.CharField(label="沟通对象", max_length=100)
    summary = forms.CharField(
        label="内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        _required(self)


class ChangeForm(VersionForm):
    title = forms.CharField(label="需求标题", max_length=100)
    description = forms.CharField(
        label="需求描述", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    product = forms.CharField(label="产品/样品", max_length=200, required=False)
    standard = forms.CharField(label="依据标准", max_length=200, required=False)
    wished_by = forms.DateField(
        label="期望完成日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label="变更原因", max_length=500)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        _required(self)


class UrgentForm(VersionForm):
    """Staff flag a demand urgent on the client's behalf (DEM-14)."""

    reason = forms.CharField(label="加急原因", max_length=300)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "加急原因：必须填写"

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("加急原因：必须填写")
        return reason


class UnurgentForm(UrgentForm):
    reason = forms.CharField(label="取消加急原因", max_length=300)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "取消加急原因：必须填写"

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("取消加急原因：必须填写")
        return reason


class CloseForm(VersionForm):
    note = forms.CharField(label="说明", max_length=500)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].error_messages["required"] = "说明：必须填写"


class VisitForm(forms.Form):
    """A station visit; a registered enterprise is picked by name (DEM-2), one that is not
    registered is named in words."""

    enterprise = OrganisationField(
        label="走访企业（已注册的从提示中选择）", kinds=[MemberKind.ENTERPRISE], required=False
    )
    enterprise_name = forms.CharField(
        label="未注册企业名称（平台上没有时填写）", max_length=200, required=False
    )
    visited_on = forms.DateField(label="走访日期", widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(
        label="走访情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        _required(self)
        self.fields["visited_on"].error_messages["invalid"] = "走访日期：应为日期"

    def clean_visited_on(self) -> dt.date:
        visited = self.cleaned_data["visited_on"]
        if visited > timezone.localdate():
            raise forms.ValidationError("走访日期：不能晚于今天")
        return visited

    def clean(self) -> dict:
        data = super().clean()
        organisation = data.get("enterprise")
        if organisation is not None:
            data["enterprise_name"] = organisation.name
        elif "enterprise" not in self.errors and not data.get("enterprise_name", "").strip():
            self.add_error(
                "enterprise", "走访企业：必须填写（已注册的从提示中选择，未注册的填写名称）"
            )
        return data
