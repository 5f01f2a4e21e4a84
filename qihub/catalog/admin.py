from django.contrib import admin
from django.http import HttpRequest

from qihub.catalog.models import PlatformInfo


@admin.register(PlatformInfo)
class PlatformInfoAdmin(admin.ModelAdmin):
    list_display = ("operator_name", "service_hotline", "complaint_hotline", "updated_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not PlatformInfo.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
