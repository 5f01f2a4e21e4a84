from django.contrib import admin

from qihub.institutions.models import Qualification, ScopeLine


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ("organisation", "type", "number", "issuer", "valid_from", "valid_until")
    list_filter = ("type",)
    search_fields = ("number", "organisation__name", "organisation__uscc")


@admin.register(ScopeLine)
class ScopeLineAdmin(admin.ModelAdmin):
    list_display = ("organisation", "category", "object", "parameter", "standard", "limits")
    list_filter = ("category",)
    search_fields = ("object", "parameter", "standard", "organisation__name")
