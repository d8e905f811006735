"""Accounts in the admin, saved and deleted through ``accounts.actions``."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from afterword.core.admin import ActionAdmin

from .models import User


@admin.register(User)
class AfterwordUserAdmin(ActionAdmin, UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        (
            "Public profile",
            {
                "fields": (
                    "display_name",
                    "bio",
                    "avatar",
                    "website",
                    "profile_links",
                    "contact_enabled",
                )
            },
        ),
    )
