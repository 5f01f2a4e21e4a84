"""Back-office views of the workstation's lists; day-to-day editing is on the workstation pages."""

from django.contrib import admin

from qihub.workstation.models import Town


@admin.register(Town)
class TownAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)
