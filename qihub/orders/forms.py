from typing import Any

from django import forms
from django.http import HttpRequest

from qihub.demands.forms import VersionForm, clean_urgent


class PlaceForm(forms.Form):
    description = forms.CharField(
        label="服务要求（样品、数量、时间等）",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "服务要求：必须填写"},
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
    # Set by the 下单 link on a demand's shortlist (the page shows which demand it is).
    demand = forms.CharField(
        label="关联需求",
        required=False,
        max_length=20,
        widget=forms.HiddenInput,
        error_messages={"max_length": "关联需求：需求编号不正确"},
    )
    # The green channel (DEM-14): a reason is required with it.
    urgent = forms.BooleanField(
        label="申请加急（绿色通道）",
        required=False,
        widget=forms.CheckboxInput(attrs={"data-testid": "urgent"}),
    )
    urgent_reason = forms.CharField(label="加急原因", max_length=300, required=False)

    def clean(self) -> dict:
        data = super().clean()
        clean_urgent(self, data)
        return data


class ConfirmForm(VersionForm):
    price = forms.DecimalField(
        label="报价（元，按需报价的服务必填）",
        max_digits=12,
        decimal_places=2,
        required=False,
        error_messages={"invalid": "报价：应为数字"},
    )
    period_days = forms.IntegerField(
        label="服务周期（工作日）", required=False, error_messages={"invalid": "服务周期：应为整数"}
    )
    note = forms.CharField(label="说明", max_length=300, required=False)


class ReasonForm(VersionForm):
    reason = forms.CharField(
        label="原因", max_length=300, error_messages={"required": "原因：必须填写"}
    )


class ProgressForm(forms.Form):
    note = forms.CharField(
        label="进度说明", max_length=300, error_messages={"required": "进度说明：必须填写"}
    )


class CompleteForm(VersionForm):
    note = forms.CharField(label="完成说明", max_length=300, required=False)


class AcceptForm(VersionForm):
    pass


class ReportForm(VersionForm):
    takes = ("request",)
    report = forms.FileField(
        label="报告正文（PDF）", error_messages={"required": "报告文件：请上传 PDF"}
    )
    conclusion = forms.CharField(
        label="结论", max_length=500, error_messages={"required": "结论：必须填写"}
    )

    results = forms.CharField(
        label="检测项目结果（可选）",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一项：产品，检测参数，合格或不合格。例如：压力表，示值误差，不合格",
        error_messages={"max_length": "检测项目结果：最多 %(limit_value)d 个字"},
    )

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_results(self) -> list[tuple[str, str, bool]]:
        return parse_results(self.cleaned_data.get("results") or "")

    def clean_report(self) -> bytes:
        upload = self.cleaned_data["report"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError("报告文件：不能超过 20 MB")
        self.filename = upload.name
        return upload.read()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["filename"] = getattr(self, "filename", "")
        # The QR code on the cover points back to this platform's verification page.
        data["verify_base"] = self.request.build_absolute_uri("/")[:-1] if self.request else ""
        return data


class CollectionForm(forms.Form):
    collected_by = forms.CharField(
        label="领取人姓名", max_length=50, error_messages={"required": "领取人：必须填写"}
    )
    id_number = forms.CharField(
        label="领取人证件号码",
        max_length=30,
        error_messages={"required": "领取人证件号码：必须填写"},
    )
    note = forms.CharField(label="备注", max_length=200, required=False)


class VerifyForm(forms.Form):
    file = forms.FileField(
        label="待核验的报告文件（PDF）", error_messages={"required": "请选择文件"}
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > VERIFY_MAX_BYTES:
            raise forms.ValidationError(
                f"待核验的报告文件：不能超过 {VERIFY_MAX_BYTES // (1024 * 1024)} MB"
            )
        return upload


# Issued reports are the institution's PDF (capped at upload) plus a one-page cover.
VERIFY_MAX_BYTES = 12 * 1024 * 1024


RESULT_WORDS = {"合格": True, "不合格": False}


def parse_results(text: str) -> list[tuple[str, str, bool]]:
    """“产品，参数，合格/不合格” per line into (product, parameter, passed); any bad line is
    refused with its line number, so nothing of a half-read list is kept."""
    import re

    lines: list[tuple[str, str, bool]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in re.split(r"[,，、\t]", raw.strip())]
        if len(parts) != 3 or not all(parts):
            raise forms.ValidationError(
                f"检测项目结果：第 {number} 行应为“产品，检测参数，合格或不合格”三项"
            )
        product, parameter, verdict = parts
        if verdict not in RESULT_WORDS:
            raise forms.ValidationError(f"检测项目结果：第 {number} 行的结果只能填“合格”或“不合格”")
        if len(product) > 100 or len(parameter) > 100:
            raise forms.ValidationError(f"检测项目结果：第 {number} 行的产品或参数超过 100 个字")
        lines.append((product, parameter, RESULT_WORDS[verdict]))
    return lines
