from django import forms

MAX_UPLOAD = 2 * 1024 * 1024


class ScheduleImportForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    file = forms.FileField(label="节假日安排文件（CSV / XLSX / JSON）")
    official = forms.BooleanField(
        label="这是国务院办公厅正式发布的安排（标记为正式）", required=False
    )
    source_document = forms.CharField(label="依据文件", max_length=300, required=False)
    confirm = forms.BooleanField(
        label="我已核对：导入将替换该年度全部节假日与调休记录，并重算未到期的服务时限",
        error_messages={"required": "请勾选确认后再导入"},
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("文件不能超过 2 MB")
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in {".csv", ".xlsx", ".json"}:
            raise forms.ValidationError("仅支持 .csv、.xlsx、.json 文件")
        return upload


class MarkOfficialForm(forms.Form):
    source_document = forms.CharField(label="依据文件", max_length=300)
    confirm = forms.BooleanField(
        label="我已核对该年度日历与国务院办公厅通知一致",
        error_messages={"required": "请勾选确认后再标记为正式"},
    )
