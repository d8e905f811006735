"""Login providers in the admin.

Which providers are set up (allauth's ``SocialApp``) decides the buttons of
every comment form, so those rows are saved and deleted through actions like
any other content readers see (``core.admin.ActionAdmin``). The per-server
Mastodon registrations are plumbing.
"""

from allauth.socialaccount.admin import SocialAppAdmin
from allauth.socialaccount.models import SocialApp
from django.contrib import admin

from afterword.core.admin import ActionAdmin

from .models import MastodonApp


@admin.register(MastodonApp)
class MastodonAppAdmin(admin.ModelAdmin):
    list_display = ("instance", "created_at")
    search_fields = ("instance",)
    readonly_fields = ("instance", "client_id", "redirect_uri", "created_at")
    exclude = ("client_secret",)


admin.site.unregister(SocialApp)


@admin.register(SocialApp)
class LoginProviderAdmin(ActionAdmin, SocialAppAdmin):
    pass
