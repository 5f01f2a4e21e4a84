"""Back-office permissions follow the role: one table, no per-user grants to drift.

Superusers (the admin role) keep Django's full rights through ModelBackend.
"""

from collections.abc import Callable

from django.contrib.auth.backends import BaseBackend
from django.http import HttpRequest, HttpResponse

from qihub.accounts.models import Role

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.OPERATOR: frozenset(
        {
            "catalog.view_platforminfo",
            "catalog.change_platforminfo",
            "accounts.view_user",
            "institutions.view_qualification",
            "institutions.add_qualification",
            "institutions.change_qualification",
            "institutions.view_scopeline",
            "institutions.add_scopeline",
            "institutions.change_scopeline",
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            "catalog.view_platforminfo",
            "accounts.view_user",
            "core.view_auditevent",
            "institutions.view_qualification",
            "institutions.view_scopeline",
        }
    ),
}


class RolePermissionBackend(BaseBackend):
    def get_all_permissions(self, user_obj: object, obj: object = None) -> set[str]:
        if not getattr(user_obj, "is_active", False) or obj is not None:
            return set()
        return set(ROLE_PERMISSIONS.get(getattr(user_obj, "role", ""), ()))

    def has_module_perms(self, user_obj: object, app_label: str) -> bool:
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))


def role_required(*roles: str) -> Callable:
    """View decorator: anonymous → log-in page; a member of another role → 403."""
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.user.role not in roles:
                raise PermissionDenied("您的角色无权访问此页面")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
