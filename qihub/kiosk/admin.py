from django.contrib import admin

from qihub.kiosk.models import QueueTicket


@admin.register(QueueTicket)
class QueueTicketAdmin(admin.ModelAdmin):
    """The day's tickets per station, for the window to see what the kiosk handed out."""

    list_display = ["day", "station", "number", "service", "taken_at"]
    list_filter = ["day", "station", "service"]
    date_hierarchy = "day"

    def has_add_permission(self, request: object) -> bool:
        return False  # tickets come from the kiosk only

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
