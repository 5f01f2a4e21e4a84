"""Back-office permissions follow the role: one table, no per-user grants to drift.

Superusers (the admin role) keep Django's full rights through ModelBackend.
"""

from django.contrib.auth.backends import BaseBackend

from qihub.accounts.models import Role

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.OPERATOR: frozenset(
        {"catalog.view_platforminfo", "catalog.change_platforminfo", "accounts.view_user"}
    ),
    Role.SUPERVISOR: frozenset({"catalog.view_platforminfo", "accounts.view_user"}),
}


class RolePermissionBackend(BaseBackend):
    def get_all_permissions(self, user_obj: object, obj: object = None) -> set[str]:
        if not getattr(user_obj, "is_active", False) or obj is not None:
            return set()
        return set(ROLE_PERMISSIONS.get(getattr(user_obj, "role", ""), ()))

    def has_module_perms(self, user_obj: object, app_label: str) -> bool:
        return any(p.startswith(f"{app_label}.") for p in self.get_all_permissions(user_obj))
