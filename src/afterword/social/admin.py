from django.contrib import admin

from .models import MastodonApp


@admin.register(MastodonApp)
class MastodonAppAdmin(admin.ModelAdmin):
    list_display = ("instance", "created_at")
    search_fields = ("instance",)
    readonly_fields = ("instance", "client_id", "redirect_uri", "created_at")
    exclude = ("client_secret",)
