from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from qihub.accounts.navigation import navigation_for
from qihub.catalog.models import PlatformInfo


def portal(request: HttpRequest) -> dict:
    """What every page's shell needs: the role's navigation and the footer's hotlines."""
    return {
        "nav_items": navigation_for(getattr(request, "user", None)),
        "platform_info": SimpleLazyObject(PlatformInfo.current),
    }
