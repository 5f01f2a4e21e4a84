from django import forms

from qihub.kiosk.models import TicketService


class ReportCodeForm(forms.Form):
    number = forms.CharField(
        label="报告编号",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    code = forms.CharField(
        label="核验码",
        max_length=16,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    token = forms.CharField(
        label="手机二维码",
        max_length=200,
        required=False,
        help_text="把手机上的二维码对准扫码口，内容会自动填入",
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-scanner": "1"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("token"):
            return data
        if not data.get("number"):
            self.add_error("number", "请填写报告编号，或扫描手机上的二维码")
        if not data.get("code"):
            self.add_error("code", "请填写报告封面上的核验码")
        return data


class TicketForm(forms.Form):
    service = forms.ChoiceField(
        label="办理业务", choices=TicketService.choices, widget=forms.RadioSelect
    )
