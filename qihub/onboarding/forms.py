"""Registration forms (ACC-1…5): one per kind of member, used by the pages and by the API."""

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from qihub.accounts.identifiers import (
    InvalidIdentifier,
    validate_id_number,
    validate_mobile,
    validate_uscc,
)
from qihub.accounts.models import DocumentKind, MemberKind, Organisation, PersonIdentity, Role, User
from qihub.accounts.uploads import MaterialField
from qihub.core import pii
from qihub.core.region_field import RegionField
from qihub.institutions.forms import ScopeRowsForm
from qihub.institutions.models import QualificationType
from qihub.institutions.scope import authorising
from qihub.onboarding import mobile as mobile_codes

ROLE_OF_KIND = {
    MemberKind.INDIVIDUAL: Role.INDIVIDUAL,
    MemberKind.ENTERPRISE: Role.ENTERPRISE,
    MemberKind.INSTITUTION: Role.INSTITUTION,
}


def identifier(validator):  # noqa: ANN001, ANN201 - small adapter
    def clean(value: str) -> str:
        try:
            return validator(value)
        except InvalidIdentifier as exc:
            raise ValidationError(str(exc)) from None

    return clean


class AccountForm(forms.Form):
    kind: str = ""
    # Which uploaded fields are which materials; the review can return each of them.
    materials: dict[str, str] = {}

    username = forms.RegexField(
        label="用户名",
        max_length=30,
        regex=r"^[A-Za-z0-9_.-]{4,30}$",
        error_messages={"invalid": "用户名为 4–30 位字母、数字或 _ . -"},
    )
    # Never rendered back after an error (render_value stays off): see docs/ui-parts/registration.md.
    password = forms.CharField(
        label="密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    password_again = forms.CharField(
        label="确认密码",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    mobile = forms.CharField(label="手机号码", max_length=20)
    mobile_code = forms.CharField(label="短信验证码", max_length=6)
    display_name = forms.CharField(
        label="前台显示名称（可选，后台实名、前台自愿）", max_length=100, required=False
    )
    email = forms.EmailField(label="电子邮箱（可选）", required=False)
    consent = forms.BooleanField(
        label="我已阅读并同意《用户协议》和《隐私政策》",
        error_messages={"required": "用户协议和隐私政策：请阅读并勾选同意后再提交"},
    )

    def __init__(self, *args: Any, held: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.materials = dict(type(self).materials)
        self.add_fields()
        # Files kept from a refused submission (accounts.uploads.HeldFiles): field → file name.
        # A held file stands in for a new one, so its field is no longer required.
        self.held = dict(held or {})
        for name in self.held:
            if name in self.fields:
                self.fields[name].required = False

    def add_fields(self) -> None:
        """Fields that depend on what was posted (the institution's qualifications)."""

    def item(self, name: str) -> dict:
        """A field as the page shows it: the bound field and the name of the file held for it."""
        return {"field": self[name], "held": self.held.get(name, "")}

    def grouped_fields(self) -> set[str]:
        """Fields the page shows in their own group rather than in the plain list."""
        return {"consent"}

    def page_fields(self) -> list[dict]:
        grouped = self.grouped_fields()
        return [self.item(f.name) for f in self.visible_fields() if f.name not in grouped]

    def material_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.materials if name in self.fields]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError("该用户名已被使用")
        return username

    def clean_mobile(self) -> str:
        mobile = identifier(validate_mobile)(self.cleaned_data["mobile"])
        if User.objects.filter(mobile_digest=pii.digest(mobile)).exists():
            raise ValidationError("该手机号码已注册")
        return mobile

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("mobile") and data.get("mobile_code"):
            try:
                data["mobile_challenge"] = mobile_codes.check_code(
                    data["mobile"], data["mobile_code"]
                )
            except mobile_codes.ChallengeRefused as exc:
                self.add_error("mobile_code", str(exc))
        password, again = data.get("password"), data.get("password_again")
        if password and again and password != again:
            self.add_error("password_again", "两次输入的密码不一致")
        elif password:
            candidate = User(username=data.get("username", ""), role=ROLE_OF_KIND[self.kind])
            try:
                validate_password(password, candidate)
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


class IndividualForm(AccountForm):
    kind = MemberKind.INDIVIDUAL
    materials = {"id_scan": DocumentKind.ID_SCAN}

    real_name = forms.CharField(label="真实姓名", max_length=50)
    id_number = forms.CharField(label="身份证号码", max_length=20)
    id_scan = MaterialField(label="身份证扫描件（PDF/JPG/PNG）")

    def clean_id_number(self) -> str:
        number = identifier(validate_id_number)(self.cleaned_data["id_number"])
        if PersonIdentity.objects.filter(id_number_digest=pii.digest(number)).exists():
            raise ValidationError("该身份证号码已注册")
        return number


class OrganisationForm(AccountForm):
    name = forms.CharField(label="名称（与营业执照一致）", max_length=200)
    uscc = forms.CharField(label="统一社会信用代码", max_length=24)
    address = forms.CharField(label="住所", max_length=300)
    legal_representative = forms.CharField(label="法定代表人", max_length=50)
    contact_name = forms.CharField(label="联系人", max_length=50)
    region = RegionField(
        label="所在地区（可选）",
        # A city is enough: a municipal institute (such as the demo's 320200) serves all of it,
        # and the API took city codes before the picker.
        levels=2,
        required=False,
        # The API still takes and shows the 6-digit code (ADR 0010).
        api_schema={"type": "string", "title": "所在地行政区划代码（6 位，可选）"},
    )
    business_licence = MaterialField(label="营业执照")
    integrity_pledge = MaterialField(label="诚信承诺书")

    def clean_uscc(self) -> str:
        code = identifier(validate_uscc)(self.cleaned_data["uscc"])
        if Organisation.objects.filter(uscc=code).exists():
            raise ValidationError("该统一社会信用代码已注册")
        return code


class EnterpriseForm(OrganisationForm):
    kind = MemberKind.ENTERPRISE
    materials = {
        "business_licence": DocumentKind.BUSINESS_LICENCE,
        "qualification_certificate": DocumentKind.QUALIFICATION_CERTIFICATE,
        "integrity_pledge": DocumentKind.INTEGRITY_PLEDGE,
    }

    qualification_certificate = MaterialField(label="资质证书")


# An institution may hold several qualifications. The first keeps the names the page and the
# API always had (qualification_type …); the n-th adds `_n` (qualification_type_2 …), and
# qualification_count says how many were posted. The page's 添加一项 copies the last block
# and renumbers it (site.js, data-add-row with data-count).
MAX_QUALIFICATIONS = 10
QUALIFICATION_PARTS = (
    "type",
    "number",
    "issuer",
    "valid_from",
    "valid_until",
    "scope",
    "certificate",
)
_PART_FIELD = {
    "type": "qualification_type",
    "number": "qualification_number",
    "issuer": "qualification_issuer",
    "valid_from": "valid_from",
    "valid_until": "valid_until",
    "scope": "qualification_scope",
    "certificate": "qualification_certificate",
}


def qualification_field(part: str, index: int) -> str:
    """The field name of one part of the index-th (from 1) qualification."""
    base = _PART_FIELD[part]
    return base if index == 1 else f"{base}_{index}"


def _qualification_fields() -> dict[str, forms.Field]:
    return {
        "type": forms.ChoiceField(label="资质类型", choices=QualificationType.choices),
        "number": forms.CharField(label="资质证书编号", max_length=80),
        "issuer": forms.CharField(label="发证机关", max_length=200),
        "valid_from": forms.DateField(
            label="有效期起", widget=forms.DateInput(attrs={"type": "date"})
        ),
        "valid_until": forms.DateField(
            label="有效期至", widget=forms.DateInput(attrs={"type": "date"})
        ),
        "scope": forms.CharField(label="资质范围", widget=forms.Textarea(attrs={"rows": 2})),
        "certificate": MaterialField(label="资质证书"),
    }


class InstitutionForm(OrganisationForm, ScopeRowsForm):
    kind = MemberKind.INSTITUTION
    materials = {
        "application_form": DocumentKind.APPLICATION_FORM,
        "business_licence": DocumentKind.BUSINESS_LICENCE,
        "qualification_certificate": DocumentKind.QUALIFICATION_CERTIFICATE,
        "integrity_pledge": DocumentKind.INTEGRITY_PLEDGE,
    }

    application_form = MaterialField(label="入驻申请表")
    qualification_count = forms.IntegerField(
        label="资质证书数量",
        min_value=1,
        max_value=MAX_QUALIFICATIONS,
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid": "资质证书数量：应为整数",
            "min_value": "资质证书数量：至少 1 项",
            "max_value": f"资质证书数量：最多 {MAX_QUALIFICATIONS} 项",
        },
    )

    def add_fields(self) -> None:
        self.qualification_total = self._posted_count()
        for index in range(1, self.qualification_total + 1):
            for part, field in _qualification_fields().items():
                self.fields[qualification_field(part, index)] = field
            if index > 1:
                self.materials[qualification_field("certificate", index)] = (
                    DocumentKind.QUALIFICATION_CERTIFICATE
                )

    def _posted_count(self) -> int:
        """How many qualification blocks to read; a bad count is named by its field's own check
        and one block is read meanwhile."""
        raw = self.data.get("qualification_count") if self.is_bound else None
        try:
            count = int(raw or 1)
        except (TypeError, ValueError):
            return 1
        return count if 1 <= count <= MAX_QUALIFICATIONS else 1

    def qualification_blocks(self) -> list[list[dict]]:
        """The page's blocks: each qualification's fields, in order."""
        return [
            [self.item(qualification_field(part, index)) for part in QUALIFICATION_PARTS]
            for index in range(1, self.qualification_total + 1)
        ]

    def grouped_fields(self) -> set[str]:
        blocks = {i["field"].name for block in self.qualification_blocks() for i in block}
        return super().grouped_fields() | blocks | {"scope_file"}

    def clean(self) -> dict:
        data = super().clean()
        today = dt.date.today()
        qualifications = []
        for index in range(1, self.qualification_total + 1):
            names = {part: qualification_field(part, index) for part in QUALIFICATION_PARTS}
            start, until = data.get(names["valid_from"]), data.get(names["valid_until"])
            if start and until and until <= start:
                self.add_error(names["valid_until"], "有效期至应晚于有效期起")
            elif until and until < today:
                self.add_error(names["valid_until"], "资质证书已过期，请上传有效的证书")
            qualifications.append(
                {part: data.get(name) for part, name in names.items() if part != "certificate"}
                | {"certificate_field": names["certificate"]}
            )
        data["qualifications"] = qualifications
        return data

    def scope_by_qualification(self) -> list[tuple[int, dict]]:
        """Each scope line with the index (from 0) of the qualification it stands under: the
        first of a type that authorises its category, else the first one."""
        qualifications = [
            _Typed(pk=i, type=q["type"]) for i, q in enumerate(self.cleaned_data["qualifications"])
        ]
        placed = []
        for line in self.cleaned_data["lines"]:
            match = authorising(line["category"], qualifications)
            placed.append((match.pk if match else 0, line))
        return placed


class _Typed:
    """A qualification not saved yet, as `scope.authorising` sees one."""

    def __init__(self, pk: int, type: str) -> None:  # noqa: A002 - the protocol's name
        self.pk, self.type = pk, type


FORMS: dict[str, type[AccountForm]] = {
    MemberKind.INDIVIDUAL: IndividualForm,
    MemberKind.ENTERPRISE: EnterpriseForm,
    MemberKind.INSTITUTION: InstitutionForm,
}


def _current_materials(application: Any) -> dict[str, str]:
    return {d.kind: d.get_kind_display() for d in application.documents.filter(superseded=False)}


class ReturnForm(forms.Form):
    """Return an application: one reason per material or field that needs supplementing."""

    takes = ("record",)

    note = forms.CharField(label="总体说明", max_length=500, required=False)

    def __init__(self, *args: Any, record: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = _current_materials(record)
        for key, label in self.items.items():
            self.fields[f"reason_{key}"] = forms.CharField(
                label=f"{label}：退回原因", max_length=200, required=False
            )

    def clean(self) -> dict:
        data = super().clean() or {}
        returned = [
            {"item": key, "label": label, "reason": data[f"reason_{key}"].strip()}
            for key, label in self.items.items()
            if data.get(f"reason_{key}", "").strip()
        ]
        if not returned:
            raise ValidationError("退回原因：请至少为一项材料填写退回原因")
        data["returned_items"] = returned
        return data


class ApproveForm(forms.Form):
    note = forms.CharField(label="审核意见（可选）", max_length=500, required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="不予通过原因",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "不予通过原因：必须填写",
            "max_length": "不予通过原因：不能超过 500 字",
        },
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("不予通过原因：必须填写")
        return reason


class ResubmitForm(forms.Form):
    """The applicant's new files, one for each material the last return asked for."""

    takes = ("record",)

    note = forms.CharField(label="补正说明", max_length=500, required=False)

    def __init__(self, *args: Any, record: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        returned = record.events.filter(kind="returned").last()
        self.returned = returned.returned_items if returned else []
        for item in self.returned:
            self.fields[item["item"]] = MaterialField(label=f"补正：{item['label']}")
        self.order_fields([*(item["item"] for item in self.returned), "note"])

    def clean(self) -> dict:
        data = super().clean() or {}
        data["replacements"] = {
            item["item"]: data[item["item"]] for item in self.returned if data.get(item["item"])
        }
        return data


class DecideChangeForm(forms.Form):
    action = forms.ChoiceField(
        label="审核结果",
        choices=[("approve", "审核通过"), ("return", "退回")],
        error_messages={
            "required": "审核结果：请选择审核通过或退回",
            "invalid_choice": "审核结果：请选择审核通过或退回",
        },
    )
    note = forms.CharField(
        label="审核意见",
        max_length=500,
        required=False,
        error_messages={"max_length": "审核意见：不能超过 500 字"},
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("action") == "return" and not data.get("note", "").strip():
            self.add_error("note", "审核意见：退回变更报备时必须填写原因")
        return data


class ChangeReportForm(forms.Form):
    change_date = forms.DateField(label="变更日期", widget=forms.DateInput(attrs={"type": "date"}))
    new_name = forms.CharField(label="新名称（未变更留空）", max_length=200, required=False)
    new_address = forms.CharField(label="新住所（未变更留空）", max_length=300, required=False)
    new_legal_representative = forms.CharField(
        label="新法定代表人（未变更留空）", max_length=50, required=False
    )
    business_licence = MaterialField(label="变更后的营业执照")
    supporting = MaterialField(label="变更证明材料（如变更登记通知书）")

    def clean_change_date(self) -> dt.date:
        day = self.cleaned_data["change_date"]
        if day > dt.date.today():
            raise ValidationError("变更日期不能晚于今天")
        return day

    def clean(self) -> dict:
        data = super().clean() or {}
        if not any(data.get(f) for f in ("new_name", "new_address", "new_legal_representative")):
            raise ValidationError("请至少填写一项变更内容（名称、住所或法定代表人）")
        return data
