from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class AfterwordUserAdmin(UserAdmin):
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
