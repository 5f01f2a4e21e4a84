from typing import Any

from django import forms

from qihub.accounts.models import User
from qihub.accounts.roles import STATION_STAFF
from qihub.accounts.uploads import MaterialField
from qihub.agency.models import Authority, EntrustedItem
from qihub.catalog.models import ServiceItem
from qihub.orders.models import Order

ITEM_ROWS = 3


class AgentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.station.name}：{obj.shown_name}" if obj.station else obj.shown_name


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class OrderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Order) -> str:
        return f"{obj.number}（{obj.service.name}）"


class EntrustmentForm(forms.Form):
    """The entrustment (委托书): agent, items with what to do, scope, documents, period."""

    takes = ("user",)

    agent = AgentChoiceField(
        label="受托代办人（站点工作人员）",
        queryset=User.objects.filter(
            role__in=STATION_STAFF, is_active=True, station__isnull=False
        ).select_related("station"),
        empty_label="请选择站点与代办人",
    )
    authorities = forms.MultipleChoiceField(
        label="授权范围",
        choices=Authority.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "授权范围：至少勾选一项"},
    )
    handed_over = forms.CharField(
        label="移交材料清单（每行一项）",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    attachment = MaterialField(label="移交材料扫描件（PDF/JPG/PNG，可选）", required=False)
    period_from = forms.DateField(
        label="委托期限起",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "委托期限起：必须填写", "invalid": "委托期限起：日期格式不对"},
    )
    period_to = forms.DateField(
        label="委托期限止",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "委托期限止：必须填写", "invalid": "委托期限止：日期格式不对"},
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orders = Order.objects.none()
        if user is not None and user.is_authenticated:
            orders = Order.objects.filter(client=user).select_related("service")
        for n in range(1, ITEM_ROWS + 1):
            first = n == 1
            self.fields[f"item_{n}"] = ItemChoiceField(
                label=f"委托事项{n}：服务事项" + ("" if first else "（可选）"),
                queryset=ServiceItem.objects.order_by("category", "position"),
                required=first,
                empty_label="请选择服务事项",
                error_messages={"required": "委托事项1：请选择服务事项"},
            )
            self.fields[f"task_{n}"] = forms.CharField(
                label=f"委托事项{n}：代办内容",
                max_length=300,
                required=False,
            )
            self.fields[f"order_{n}"] = OrderChoiceField(
                label=f"委托事项{n}：关联订单（可选）",
                queryset=orders,
                required=False,
                empty_label="不关联订单",
            )

    def clean(self) -> dict:
        data = super().clean()
        items = []
        for n in range(1, ITEM_ROWS + 1):
            service, task = data.get(f"item_{n}"), (data.get(f"task_{n}") or "").strip()
            if service is None:
                if task:
                    self.add_error(f"item_{n}", f"委托事项{n}：请选择服务事项")
                continue
            if not task:
                self.add_error(f"task_{n}", f"委托事项{n}：请填写代办内容")
                continue
            items.append((service, task, data.get(f"order_{n}")))
        data["items"] = items
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", "委托期限止：不能早于委托期限起")
        return data


class SignOnlineForm(forms.Form):
    takes = ("request",)

    password = forms.CharField(
        label="登录密码",
        widget=forms.PasswordInput,
        error_messages={"required": "登录密码：必须填写"},
    )
    code = forms.CharField(
        label="当前动态口令（验证器中的 6 位数字）",
        max_length=6,
        error_messages={"required": "当前动态口令：必须填写"},
    )

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self) -> dict:
        data = super().clean()
        # The identity check needs the request (django-axes counts failed passwords).
        data["_request"] = self.request
        return data


class SignPaperForm(forms.Form):
    scan = MaterialField(label="签字（盖章）后的委托书扫描件（PDF/JPG/PNG）")


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回原因（可选）", max_length=300, required=False)


class StepForm(forms.Form):
    """One step on one open item, with a note and an optional document."""

    takes = ("record",)

    item = forms.ModelChoiceField(
        label="委托事项",
        queryset=EntrustedItem.objects.none(),
        empty_label="请选择事项",
        error_messages={
            "required": "委托事项：请选择",
            "invalid_choice": "委托事项：不是该委托书未办结的事项",
        },
    )
    note = forms.CharField(
        label="办理说明",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "办理说明：必须填写"},
    )
    attachment = MaterialField(label="办理材料（PDF/JPG/PNG，可选）", required=False)

    def __init__(self, *args: Any, record: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if record is not None:
            self.fields["item"].queryset = record.items.filter(
                closed_at__isnull=True
            ).select_related("service")
        self.fields["item"].label_from_instance = lambda i: f"{i.service.name}：{i.task}"


class FinishForm(forms.Form):
    pass
