"""The plan's forms, shared by the pages and the API (`form_body`)."""

from django import forms

from qihub.accounts.models import User
from qihub.accounts.roles import ALL_STAFF
from qihub.stations.forms import DATE, chinese_errors


class _Chinese(forms.Form):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        chinese_errors(self)


class VersionForm(_Chinese):
    """A step with nothing to fill in but the version the actor saw."""

    version = forms.IntegerField(label="版本", widget=forms.HiddenInput)


class DraftForm(_Chinese):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)


class AnalysisForm(VersionForm):
    analysis = forms.CharField(
        label="问题分析与改进方向", max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )


class OwnerField(forms.ModelChoiceField):
    """Owners are the platform's own people: operators, station staff, the supervisor."""

    def label_from_instance(self, obj: User) -> str:
        station = f"·{obj.station.name}" if getattr(obj, "station", None) else ""
        return f"{obj.shown_name}（{obj.get_role_display()}{station}）"


def owners() -> "forms.models.QuerySet[User]":
    return (
        User.objects.filter(role__in=ALL_STAFF, is_active=True)
        .select_related("station")
        .order_by("role", "display_name", "pk")
    )


class ActionForm(_Chinese):
    problem = forms.CharField(label="针对问题", max_length=300)
    measure = forms.CharField(
        label="改进措施", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = OwnerField(label="责任人", queryset=User.objects.none(), empty_label="请选择责任人")
    due_on = forms.DateField(label="完成期限", widget=DATE)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners()


class ProgressForm(VersionForm):
    percent = forms.IntegerField(label="完成进度（%）", min_value=0, max_value=100)
    progress = forms.CharField(
        label="进展情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
