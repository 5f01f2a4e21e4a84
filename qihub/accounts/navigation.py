"""The navigation each role sees: one table, read by the page shell and by the tests."""

from dataclasses import dataclass
from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

from qihub.accounts.models import Role
from qihub.accounts.roles import CLIENTS


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str

    @property
    def url(self) -> str:
        # Read twice per item on every page (link and "active" test).
        return reverse_once(self.url_name)


def reverse_once(url_name: str) -> str:
    """`reverse()` of a URL without arguments, worked out once per process: the answer only
    changes with the URL configuration and the prefix the site is served under."""
    return _reverse(url_name, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=256)
def _reverse(url_name: str, prefix: str, urlconf: str | None) -> str:
    return reverse(url_name, urlconf=urlconf)


HOME = NavItem("首页", "catalog:home")
INFO = NavItem("平台信息公开", "catalog:public_info")
SERVICES = NavItem("服务目录", "catalog:services")
OPEN = NavItem("资源开放", "opening:hub")
LOGIN = NavItem("登录", "accounts:login")
REGISTER = NavItem("注册", "onboarding:choose")

WORKBENCH_LABELS: dict[str, str] = {
    Role.INDIVIDUAL: "个人中心",
    Role.ENTERPRISE: "企业工作台",
    Role.INSTITUTION: "机构工作台",
    Role.EXPERT: "专家工作台",
    Role.STATION_STAFF: "站点工作台",
    Role.OPERATOR: "运营工作台",
    Role.SUPERVISOR: "监管驾驶舱",
    Role.ADMIN: "系统管理",
}


def navigation_for(user: object) -> list[NavItem]:
    if user is None or not getattr(user, "is_authenticated", False):
        return [HOME, SERVICES, OPEN, INFO, LOGIN, REGISTER]
    items = [HOME, SERVICES]
    # Staff carry two more items (时限监控, 管理后台) and reach 资源开放 from the footer, so the bar
    # still fits one line at 1280 px.
    if not user.is_staff:
        items.append(OPEN)
    items += [NavItem(WORKBENCH_LABELS[user.role], "accounts:workbench"), INFO]
    if user.is_staff:
        items.append(NavItem("时限监控", "ops:dashboard"))
    # The Django admin is a developer's tool: operators work on the platform's own pages.
    if user.is_superuser:
        items.append(NavItem("管理后台", "admin:index"))
    return items


def may_complain(user: object) -> bool:
    """Whether 我要投诉 leads somewhere: clients complain; visitors are sent to log in first;
    staff and institutions (who cannot be complainants) get only 意见建议."""
    if user is None or not getattr(user, "is_authenticated", False):
        return True
    return user.role in CLIENTS
