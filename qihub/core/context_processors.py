from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from qihub.accounts.navigation import may_complain, navigation_for
from qihub.catalog.models import PlatformInfo
from qihub.notifications.outbox import unread_count


def portal(request: HttpRequest) -> dict:
    """What every page's shell needs: the role's navigation and the footer's hotlines."""
    return {
        "nav_items": navigation_for(getattr(request, "user", None)),
        "platform_info": SimpleLazyObject(PlatformInfo.current),
        "unread_count": _lazy_unread(request),
        "may_complain": may_complain(getattr(request, "user", None)),
    }


def _lazy_unread(request: HttpRequest) -> object:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    # A callable: the template engine calls it only on pages that show the badge.
    return lambda: unread_count(user)
