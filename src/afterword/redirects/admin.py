"""Redirects in the admin; every save and delete is one of ``actions``."""

from __future__ import annotations

from django.contrib import admin

from afterword.core.admin import ActionAdmin

from .models import Redirect


@admin.register(Redirect)
class RedirectAdmin(ActionAdmin):
    list_display = ["old_path", "target_display", "status", "source", "created_at"]
    list_filter = ["source", "status"]
    search_fields = ["old_path", "target_path", "note"]
    raw_id_fields = ["target_post"]
    fields = ["old_path", "target_path", "target_post", "status", "source", "note"]

    @admin.display(description="leads to")
    def target_display(self, obj: Redirect) -> str:
        return obj.target_display()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("target_post")
