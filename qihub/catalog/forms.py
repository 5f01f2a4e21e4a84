from django import forms

from qihub.catalog.models import GuideVersion


class GuideForm(forms.ModelForm):
    class Meta:
        model = GuideVersion
        fields = [
            "acceptance_conditions",
            "materials",
            "process",
            "time_limit",
            "is_free",
            "fee",
            "legal_basis",
            "change_note",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("acceptance_conditions", "materials", "process", "legal_basis")
        }

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("is_free") and not (data.get("fee") or "").strip():
            self.add_error("fee", "收费事项请填写收费标准")
        if not (data.get("change_note") or "").strip():
            self.add_error("change_note", "请说明本次修订的内容")
        return data
