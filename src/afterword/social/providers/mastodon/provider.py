"""The Mastodon provider: one provider, an app per server, chosen by the reader."""

from __future__ import annotations

from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import servers
from .views import MastodonOAuth2Adapter


class MastodonAccount(ProviderAccount):
    def get_profile_url(self):
        return self.account.extra_data.get("url")

    def get_avatar_url(self):
        return self.account.extra_data.get("avatar")

    def to_str(self):
        data = self.account.extra_data
        return data.get("display_name") or data.get("acct") or super().to_str()


class MastodonProvider(OAuth2Provider):
    id = "mastodon"
    name = "Mastodon"
    account_class = MastodonAccount
    oauth2_adapter_class = MastodonOAuth2Adapter
    # No app is configured ahead: each server gets its own on first use.
    uses_apps = False

    def __init__(self, request, app=None) -> None:
        super().__init__(request, app=app)
        if self.app is None and request is not None:
            instance = servers.normalize(
                request.POST.get("instance") or request.GET.get("instance")
            )
            if instance:
                self.app = servers.known_app(instance)

    def get_default_scope(self):
        return ["read:accounts"]

    def get_oauth2_adapter(self, request):
        adapter = super().get_oauth2_adapter(request)
        adapter.instance = self.app.settings["instance"]
        return adapter

    def redirect_from_request(self, request):
        # The app depends on the server the reader typed: find (or register)
        # it before allauth reads scopes and parameters from it.
        instance = servers.normalize(
            request.POST.get("instance") or request.GET.get("instance")
        )
        if instance is None:
            return self._ask_again(
                request, _("Please enter the name of your Mastodon server.")
            )
        try:
            self.app = servers.app_for(request, instance)
        except servers.ServerError as error:
            return self._ask_again(request, str(error))
        return super().redirect_from_request(request)

    def get_scope(self):
        return list(self.get_settings().get("SCOPE", self.get_default_scope()))

    def _ask_again(self, request, message: str):
        return render(
            request,
            "social/mastodon_server.html",
            {"message": message, "next": request.GET.get("next", "")},
            status=400,
        )

    def extract_uid(self, data):
        return f"{data['id']}@{data['_instance']}"

    def extract_common_fields(self, data):
        return {
            "username": data.get("username"),
            "first_name": (data.get("display_name") or data.get("username") or "")[
                :150
            ],
        }

    def extract_extra_data(self, data):
        return dict(data)


provider_classes = [MastodonProvider]
