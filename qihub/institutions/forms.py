import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from qihub.accounts.models import Organisation
from qihub.accounts.uploads import MaterialField
from qihub.catalog.models import Category
from qihub.demands.forms import VersionForm
from qihub.institutions.models import (
    ChangeKind,
    InstitutionService,
    Pricing,
    Qualification,
    QualificationType,
    ScopeLine,
    Verb,
)
from qihub.institutions.scope import AUTHORISING
from qihub.institutions.scope_excel import parse_scope, rows_as_text


class ServiceForm(forms.ModelForm):
    """An institution's own service item (CAT-4). The category must be one its capability scope
    covers, so nothing is offered outside the qualification (MATCH-3)."""

    class Meta:
        model = InstitutionService
        fields = [
            "name",
            "category",
            "catalogue_item",
            "description",
            "period_days",
            "pricing",
            "price",
            "price_unit",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        error_messages = {
            "name": {"required": "服务名称：必须填写"},
            "category": {
                "required": "服务类别：请选择",
                "invalid_choice": "服务类别：不是可选的类别",
            },
            "description": {"required": "服务内容：必须填写"},
            "period_days": {"required": "服务周期：必须填写", "invalid": "服务周期：应为整数"},
            "pricing": {
                "required": "收费方式：请选择",
                "invalid_choice": "收费方式：不是可选的方式",
            },
            "price": {"invalid": "价格：应为数字，如 120 或 85.50"},
        }

    def __init__(self, *args: object, organisation: Organisation, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["catalogue_item"].required = False

    def clean_period_days(self) -> int:
        days = self.cleaned_data["period_days"]
        if not 1 <= days <= 365:
            raise forms.ValidationError("服务周期：应在 1–365 个工作日之间")
        return days

    def clean_category(self) -> str:
        category = self.cleaned_data["category"]
        today = dt.date.today()
        lines = ScopeLine.objects.valid_on(today).filter(organisation=self.organisation)
        covered = set(lines.values_list("category", flat=True))
        if category not in covered:
            raise forms.ValidationError(
                "服务类别：不在贵机构的资质能力范围内，请先通过变更报备补充能力范围"
            )
        return category

    def clean(self) -> dict:
        data = super().clean()
        pricing, price = data.get("pricing"), data.get("price")
        if pricing == Pricing.FIXED:
            if price is None:
                self.add_error("price", "价格：固定收费须填写价格")
            elif price <= Decimal(0):
                self.add_error("price", "价格：应大于 0")
        elif price is not None:
            data["price"] = None  # free and quoted items carry no fixed price
        return data


# --- qualification and scope change requests (ACC-5, MATCH-3) ------------------------------
# The row editor posts each column as a repeated field (line_category=…&line_category=…), the
# Excel template as a file; both become the `a|b|c|d|e` text `scope_excel.parse_scope` reads,
# so registration and later changes judge scope lines the same way.
ROW_COLUMNS = ("category", "object", "parameter", "standard", "limits")
MAX_ROWS = 500
VERB_BY_WORD = {**{v.value: v.value for v in Verb}, **{v.label: v.value for v in Verb}}


class RowsField(forms.Field):
    """One column of the row editor: every value posted under the name, in order."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: object) -> list[str]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        cleaned = [str(v).replace("|", "/").replace("\t", " ").strip() for v in values]
        if len(cleaned) > MAX_ROWS:
            raise forms.ValidationError(f"服务能力范围：一次最多 {MAX_ROWS} 行")
        return cleaned


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": f"{label}：必须填写",
            "invalid": f"{label}：日期格式应为 年-月-日，如 2026-12-31",
        },
    )


def _certificate() -> MaterialField:
    field = MaterialField(label="资质证书文件（PDF/JPG/PNG）")
    field.error_messages = {
        **field.error_messages,
        "required": "资质证书文件：请上传证书扫描件",
        "empty": "资质证书文件：上传的文件是空的",
    }
    return field


class _OwnRecords:
    """Forms whose pickers list the institution's own qualifications and lines."""

    takes = ("organisation",)

    def __init__(self, *args: Any, organisation: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self._own(organisation)

    def _own(self, organisation: Organisation | None) -> None:
        qualifications = (
            Qualification.objects.filter(organisation=organisation, withdrawn_at__isnull=True)
            if organisation is not None
            else Qualification.objects.none()
        )
        fields = self.fields  # type: ignore[attr-defined]
        if "qualification" in fields:
            fields["qualification"].queryset = qualifications.order_by("type", "number")
        if "retire" in fields:
            fields["retire"].queryset = (
                ScopeLine.objects.filter(organisation=organisation, withdrawn_at__isnull=True)
                if organisation is not None
                else ScopeLine.objects.none()
            ).select_related("qualification")


class QualificationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Qualification) -> str:  # type: ignore[override]
        return f"{obj.get_type_display()} {obj.number}（有效期至 {obj.valid_until:%Y-%m-%d}）"


def _qualification(required: bool = True) -> QualificationChoice:
    return QualificationChoice(
        label="资质证书" if required else "依据资质（无需资质的类别可不选）",
        queryset=Qualification.objects.none(),
        required=required,
        empty_label="请选择",
        error_messages={
            "required": "资质证书：请选择",
            "invalid_choice": "资质证书：不是本机构可变更的资质",
        },
    )


class ScopeRowsForm(forms.Form):
    """The row editor (or the Excel template) for scope lines, checked against the qualification
    they will stand under."""

    lines_required = True

    line_category = RowsField(label="类别", required=False)
    line_verb = RowsField(label="服务方式", required=False)
    line_object = RowsField(label="对象/产品", required=False)
    line_parameter = RowsField(label="项目/参数", required=False)
    line_standard = RowsField(label="标准或方法", required=False)
    line_limits = RowsField(label="限制范围", required=False)
    scope_file = forms.FileField(
        label="或上传能力范围 Excel（使用平台模板）",
        required=False,
        help_text='<a href="/register/scope-template.xlsx">下载能力范围 Excel 模板</a>',
    )

    def clean_scope_file(self) -> str:
        upload = self.cleaned_data.get("scope_file")
        if not upload:
            return ""
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError("能力范围文件：不能超过 2 MB")
        try:
            return rows_as_text(upload.read())
        except ValueError as exc:
            raise forms.ValidationError(f"能力范围文件：{exc}") from None

    def _rows(self, data: dict) -> tuple[str, list[str]]:
        """The rows as onboarding's text (one line per row, blank rows blank) and their verbs."""
        columns = {c: data.get(f"line_{c}") or [] for c in (*ROW_COLUMNS, "verb")}
        count = max((len(v) for v in columns.values()), default=0)
        texts, verbs = [], []
        for i in range(count):
            cells = [columns[c][i] if i < len(columns[c]) else "" for c in ROW_COLUMNS]
            verb = columns["verb"][i] if i < len(columns["verb"]) else ""
            texts.append("|".join(cells) if any(cells) else "")
            verbs.append(verb)
        return "\n".join(texts), verbs

    def clean(self) -> dict:
        data = super().clean() or {}
        if any(f in self.errors for f in ("scope_file", *(f"line_{c}" for c in ROW_COLUMNS))):
            return data
        if data.get("scope_file"):
            text, verbs = data["scope_file"], []
        else:
            text, verbs = self._rows(data)
        numbers = [n for n, raw in enumerate(text.splitlines(), 1) if raw.strip()]
        if not numbers and not self.lines_required:
            data["lines"] = []
            return data
        try:
            lines = parse_scope(text)
        except forms.ValidationError as exc:
            for message in exc.messages:
                self.add_error(None, f"服务能力范围：{message}")
            return data
        for number, line in zip(numbers, lines, strict=True):
            word = verbs[number - 1].strip() if number - 1 < len(verbs) else ""
            if word and word not in VERB_BY_WORD:
                self.add_error(
                    None,
                    f"服务能力范围：第 {number} 行：服务方式“{word}”无效，应为 "
                    + "、".join(v.label for v in Verb)
                    + " 之一",
                )
            line["verb"] = VERB_BY_WORD.get(word, "")
        data["lines"] = lines
        data["line_numbers"] = numbers
        return data

    def check_fit(self, data: dict, qualification_type: str) -> None:
        """Each line must stand under a qualification of a type that authorises its category."""
        for number, line in zip(data.get("line_numbers", []), data.get("lines", []), strict=True):
            wanted = AUTHORISING.get(line["category"], ())
            if not wanted:
                continue
            label = Category(line["category"]).label
            if not qualification_type:
                self.add_error(None, f"服务能力范围：第 {number} 行：“{label}”类能力须选择依据资质")
            elif qualification_type not in wanted:
                names = "、".join(QualificationType(t).label for t in wanted)
                self.add_error(
                    None,
                    f"服务能力范围：第 {number} 行：“{label}”类能力须依据 {names}，"
                    f"所选资质（{QualificationType(qualification_type).label}）不能覆盖",
                )


def editor_rows(form: forms.Form, blank: int = 3) -> list[dict]:
    """The row editor's rows: as posted (so a refused form keeps what was typed), then blanks."""
    if "line_category" not in form.fields:
        return []
    posted: list[dict] = []
    if form.is_bound:
        columns = ("category", "verb", "object", "parameter", "standard", "limits")
        values = {c: form.data.getlist(f"line_{c}") for c in columns}
        count = max(len(v) for v in values.values())
        posted = [
            {c: values[c][i] if i < len(values[c]) else "" for c in columns} for i in range(count)
        ]
        posted = [row for row in posted if any(row.values())]
    return posted + [{}] * max(blank - len(posted), 1)


def _check_dates(form: forms.Form, data: dict) -> None:
    start, until = data.get("valid_from"), data.get("valid_until")
    if start and until and until <= start:
        form.add_error("valid_until", "有效期至：应晚于有效期起")
    elif until and until < dt.date.today():
        form.add_error("valid_until", "有效期至：证书已过期，请上传有效的证书")


class AddQualificationForm(_OwnRecords, ScopeRowsForm):
    type = forms.ChoiceField(
        label="资质类型",
        choices=[("", "请选择"), *QualificationType.choices],
        error_messages={
            "required": "资质类型：请选择",
            "invalid_choice": "资质类型：不是可选的类型",
        },
    )
    certificate_number = forms.CharField(
        label="证书编号", max_length=80, error_messages={"required": "证书编号：必须填写"}
    )
    issuer = forms.CharField(
        label="发证机关", max_length=200, error_messages={"required": "发证机关：必须填写"}
    )
    valid_from = _date("有效期起")
    valid_until = _date("有效期至")
    scope = forms.CharField(
        label="资质范围（可选）",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    certificate = _certificate()
    reason = forms.CharField(label="申请说明（可选）", max_length=500, required=False)

    field_order = ["type", "certificate_number", "issuer", "valid_from", "valid_until", "scope"]

    def clean(self) -> dict:
        data = super().clean()
        _check_dates(self, data)
        if data.get("type") and "lines" in data:
            self.check_fit(data, data["type"])
        return data


class RenewQualificationForm(_OwnRecords, forms.Form):
    qualification = _qualification()
    certificate_number = forms.CharField(
        label="新证书编号（未变更留空）", max_length=80, required=False
    )
    valid_from = _date("新有效期起")
    valid_until = _date("新有效期至")
    certificate = _certificate()
    reason = forms.CharField(label="申请说明（可选）", max_length=500, required=False)

    def clean(self) -> dict:
        data = super().clean() or {}
        start, until = data.get("valid_from"), data.get("valid_until")
        if start and until and until <= start:
            self.add_error("valid_until", "新有效期至：应晚于新有效期起")
        elif until and until < dt.date.today():
            self.add_error("valid_until", "新有效期至：证书已过期，请上传有效的证书")
        return data


class WithdrawQualificationForm(_OwnRecords, forms.Form):
    qualification = _qualification()
    reason = forms.CharField(
        label="撤回原因",
        max_length=500,
        error_messages={"required": "撤回原因：必须填写"},
    )


class LineChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ScopeLine) -> str:  # type: ignore[override]
        return f"{obj.get_category_display()}：{obj}"


class ScopeChangeForm(_OwnRecords, ScopeRowsForm):
    """Add lines under a qualification and/or withdraw lines."""

    lines_required = False

    qualification = _qualification(required=False)
    retire = LineChoice(
        label="撤回的能力范围",
        queryset=ScopeLine.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "撤回的能力范围：不是本机构现有的能力范围"},
    )
    reason = forms.CharField(label="申请说明（可选）", max_length=500, required=False)

    field_order = ["qualification"]

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        if not data.get("lines") and not data.get("retire"):
            raise forms.ValidationError(
                "服务能力范围：请至少新增一行能力范围，或勾选要撤回的能力范围"
            )
        qualification = data.get("qualification")
        self.check_fit(data, qualification.type if qualification else "")
        return data


CHANGE_FORMS: dict[str, type[forms.Form]] = {
    ChangeKind.ADD: AddQualificationForm,
    ChangeKind.RENEW: RenewQualificationForm,
    ChangeKind.WITHDRAW: WithdrawQualificationForm,
    ChangeKind.LINES: ScopeChangeForm,
}


class ApproveChangeForm(VersionForm):
    note = forms.CharField(label="审核意见（可选）", max_length=500, required=False)


class ReturnChangeForm(VersionForm):
    reason = forms.CharField(
        label="退回原因",
        max_length=500,
        error_messages={
            "required": "退回原因：必须填写",
            "max_length": "退回原因：不能超过 500 字",
        },
    )


class WithdrawRequestForm(VersionForm):
    note = forms.CharField(label="撤销说明（可选）", max_length=500, required=False)
