from django.contrib import admin
from django.http import HttpRequest

from qihub.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = (
        "at",
        "actor",
        "action",
        "target_type",
        "target_id",
        "field",
        "reason",
        "request_id",
    )
    list_filter = ("action", "target_type")
    search_fields = ("target_id", "reason", "request_id", "actor__username")
    date_hierarchy = "at"

    # The log is append-only: nobody edits or deletes it, not even the admin role.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
