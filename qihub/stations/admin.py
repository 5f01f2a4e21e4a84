"""Back-office views of the station records; the day-to-day editing is on the station pages."""

from django.contrib import admin

from qihub.stations.models import Assessment, Membership, UpkeepItem, UpkeepLog


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("station", "user", "full_time", "is_head")
    list_filter = ("station",)


@admin.register(UpkeepItem)
class UpkeepItemAdmin(admin.ModelAdmin):
    list_display = ("station", "name", "cycle_days", "due_on")
    list_filter = ("station",)


@admin.register(UpkeepLog)
class UpkeepLogAdmin(admin.ModelAdmin):
    list_display = ("item", "done_on", "result", "by")


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("station", "year", "training_hours", "campaigns")
