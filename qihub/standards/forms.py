from django import forms

from qihub.standards.models import Kind, Status

LOAD_LIMIT = 20 * 1024 * 1024
CHECK_LIMIT = 2 * 1024 * 1024
CHECK_MAX_LINES = 2000


FORMATS = {".xlsx": "Excel（.xlsx）", ".csv": "CSV", ".txt": "纯文本"}


def _sniff(upload: object, label: str, allowed: tuple[str, ...], limit: int) -> object:
    """Extension, size and content agree: an .xlsx is a zip, a text file is not binary."""
    name = upload.name.lower()
    if not name.endswith(allowed):
        names = "、".join(FORMATS[a] for a in allowed)
        raise forms.ValidationError(f"{label}：只接受 {names} 文件")
    if upload.size > limit:
        raise forms.ValidationError(f"{label}：超过 {limit // (1024 * 1024)} MB，请分批上传")
    head = upload.read(4)
    upload.seek(0)
    if name.endswith(".xlsx"):
        if head != b"PK\x03\x04":
            raise forms.ValidationError(f"{label}：不是有效的 Excel 文件")
    elif b"\x00" in head or head.startswith(b"PK"):
        raise forms.ValidationError(f"{label}：不是 CSV 或纯文本文件")
    return upload


class LoadForm(forms.Form):
    upload = forms.FileField(
        label="标准文件",
        help_text="全国标准信息公共服务平台导出的 Excel（.xlsx）或 CSV 文件，表头见下方说明",
        error_messages={"required": "标准文件：请选择文件", "empty": "标准文件：文件是空的"},
    )
    demo = forms.BooleanField(label="作为演示数据导入", required=False)

    def clean_upload(self) -> object:
        return _sniff(self.cleaned_data["upload"], "标准文件", (".xlsx", ".csv"), LOAD_LIMIT)


class CheckForm(forms.Form):
    lines = forms.CharField(
        label="标准清单",
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 8, "placeholder": "每行一个标准号，如 GB/T 19001-2016"}
        ),
        max_length=200_000,
        error_messages={"max_length": "标准清单：内容过长，请分批核查"},
    )
    upload = forms.FileField(
        label="或上传清单文件",
        required=False,
        help_text="Excel（.xlsx）、CSV 或纯文本文件：每行一个标准号（Excel 取“标准号”列，没有则取第一列）",
        error_messages={"empty": "清单文件：文件是空的"},
    )

    def clean_upload(self) -> object:
        upload = self.cleaned_data.get("upload")
        if not upload:
            return upload
        return _sniff(upload, "清单文件", (".xlsx", ".csv", ".txt"), CHECK_LIMIT)

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        from qihub.standards.batch import lines_of_upload

        if data.get("upload"):
            try:
                data["list"] = lines_of_upload(data["upload"])
            except ValueError as exc:
                self.add_error("upload", str(exc))
                return data
        else:
            data["list"] = (data.get("lines") or "").splitlines()
        if not any(line.strip() for line in data["list"]):
            self.add_error("lines", "标准清单：请粘贴标准号或上传清单文件")
        elif len(data["list"]) > CHECK_MAX_LINES:
            self.add_error("lines", f"标准清单：一次最多核查 {CHECK_MAX_LINES} 行，请分批核查")
        return data


class SearchForm(forms.Form):
    q = forms.CharField(label="标准号或名称中的词", required=False, max_length=100)
    kind = forms.ChoiceField(
        label="类别", required=False, choices=[("", "全部类别"), *Kind.choices]
    )
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *Status.choices]
    )


class WatchForm(forms.Form):
    number = forms.CharField(
        label="标准号",
        max_length=100,
        error_messages={"required": "标准号：请填写"},
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": "如 GB/T 19001-2016"}
        ),
    )
