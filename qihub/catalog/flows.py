"""Where a guide's 立即办理 leads (issue 15): every service item starts a flow that exists, by
the item's `flow` — find an institution and order, publish a demand (item preset), ask the
quality clinic (`clinic:ask`, field preset from the item), a complaint, or
the external official system with its steps.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from qihub.accounts.roles import CLIENTS
from qihub.catalog.models import ServiceFlow, ServiceItem


@dataclass(frozen=True)
class Start:
    label: str  # the button's text; empty: no button, only the note
    url: str = ""
    note: str = ""
    external: bool = False
    # 全程代办 (DEM-11): a client may instead entrust a station's agent with this item.
    agency_url: str = ""


def _target(item: ServiceItem) -> str:
    if item.flow == ServiceFlow.ORDER:
        return f"{reverse('institutions:search')}?{urlencode({'category': item.category})}"
    if item.flow == ServiceFlow.COMPLAINT:
        return reverse("complaints:new")
    if item.flow == ServiceFlow.CLINIC:
        return f"{reverse('clinic:ask')}?{urlencode({'item': item.code})}"
    return f"{reverse('demands:publish')}?{urlencode({'item': item.code})}"


NOTES = {
    ServiceFlow.ORDER: "查找具备资质的机构，选择服务项目后在线下单。",
    ServiceFlow.DEMAND: "发布需求后，平台 1 个工作日内响应，3 个工作日内推荐机构。",
    ServiceFlow.CLINIC: "在线提交咨询：平台按专业领域和问题内容分派专家，"
    "专家 2 个工作日内答复，需要检测时可一键转为服务需求。",
    ServiceFlow.COMPLAINT: "受理后平台 7 个工作日内调查核实并反馈处理结果。",
}
LABELS = {
    ServiceFlow.ORDER: "立即办理：查找机构下单",
    ServiceFlow.DEMAND: "立即办理：发布服务需求",
    ServiceFlow.CLINIC: "立即办理：质量门诊咨询",
    ServiceFlow.COMPLAINT: "立即办理：我要投诉",
}


def start_for(item: ServiceItem, user: object) -> Start:
    """The 立即办理 of `item` for `user`: clients go straight in; visitors log in first and come
    back (searching needs no log-in); other roles, who may not publish or order, get the note."""
    if item.flow == ServiceFlow.EXTERNAL and item.external_url:
        system = item.external_system or "外部政务系统"
        return Start(
            "立即办理：前往办理系统",
            item.external_url,
            f"本事项在“{system}”办理（新窗口打开），办理步骤见下。",
            external=True,
        )
    flow = item.flow if item.flow in LABELS else ServiceFlow.DEMAND
    target = _target(item)
    if not getattr(user, "is_authenticated", False):
        if flow != ServiceFlow.ORDER:
            target = f"{reverse('accounts:login')}?{urlencode({'next': target})}"
        return Start(LABELS[flow], target, NOTES[flow] + "需先登录（企业或个人用户）。")
    if user.role not in CLIENTS:
        return Start("", note="本事项由企业或个人用户在线办理；工作人员可在工作台代录需求。")
    agency = f"{reverse('agency:new')}?{urlencode({'item': item.code})}"
    return Start(LABELS[flow], target, NOTES[flow], agency_url=agency)


def guided_flow_url(item: ServiceItem, user: object) -> str:
    """Where 按流程办理 starts the item's guided flow (BIO-2): for enterprises, the service team
    and visitors (who log in first); empty when the item has none or the user may not start it."""
    from qihub.accounts.models import Role
    from qihub.accounts.roles import HANDLERS

    if not item.guided_flow:
        return ""
    if getattr(user, "is_authenticated", False) and user.role not in HANDLERS | {Role.ENTERPRISE}:
        return ""
    url = f"{reverse('flows:start', args=[item.guided_flow])}?{urlencode({'item': item.code})}"
    if not getattr(user, "is_authenticated", False):
        return f"{reverse('accounts:login')}?{urlencode({'next': url})}"
    return url
