"""Operators keep the list of recognitions (认可用途) in the back office: what each accepts, and
whether enterprises may choose it now."""

from django.contrib import admin

from qihub.packages.models import Recognition


@admin.register(Recognition)
class RecognitionAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "active", "position")
    list_editable = ("active", "position")
    search_fields = ("name", "accepts")
