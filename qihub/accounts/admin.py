from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from qihub.accounts.models import Station, User
from qihub.core import regions
from qihub.core.region_field import RegionField


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


class StationForm(forms.ModelForm):
    """A station's area is picked in the region picker (a city or finer), never typed."""

    region = RegionField(label="所在地区", levels=2, required=False)

    class Meta:
        model = Station
        fields = ("name", "region", "address", "opened_on", "active")

    class Media:
        js = ("qihub/regions.js",)


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    form = StationForm
    list_display = ("name", "region_shown", "opened_on", "active")

    @admin.display(description="所在地区", ordering="region")
    def region_shown(self, station: Station) -> str:
        return regions.full_name(station.region) if station.region else "—"

    list_filter = ("active",)
    search_fields = ("name", "address")
