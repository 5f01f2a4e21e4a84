from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from qihub.accounts.models import Station, User


@admin.register(User)
class QihubUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "role", "is_active", "is_demo", "last_login")
    list_filter = ("role", "is_active", "is_demo")
    search_fields = ("username", "display_name", "email")
    fieldsets = (
        *UserAdmin.fieldsets,
        ("平台角色", {"fields": ("role", "display_name", "station", "is_demo")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("平台角色", {"fields": ("role", "display_name")}),
    )


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "opened_on", "active")
    list_filter = ("active",)
    search_fields = ("name", "address")
