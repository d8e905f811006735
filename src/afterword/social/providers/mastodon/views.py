"""OAuth2 adapter and views for Mastodon servers.

Endpoints (docs.joinmastodon.org): ``POST /api/v1/apps`` (done once per
server, see ``servers.app_for``), ``/oauth/authorize``, ``/oauth/token`` and
``/api/v1/accounts/verify_credentials``. The server travels in the callback
address (``?instance=``), which is also the redirect URI registered there.
"""

from __future__ import annotations

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.oauth2.views import (
    OAuth2Adapter,
    OAuth2CallbackView,
    OAuth2LoginView,
)

from . import servers


class MastodonOAuth2Adapter(OAuth2Adapter):
    provider_id = "mastodon"

    def __init__(self, request) -> None:
        super().__init__(request)
        self.instance = servers.normalize(request.GET.get("instance"))

    @property
    def base_url(self) -> str:
        return servers.base_url(self.instance)

    @property
    def authorize_url(self) -> str:
        return f"{self.base_url}/oauth/authorize"

    @property
    def access_token_url(self) -> str:
        return f"{self.base_url}/oauth/token"

    @property
    def profile_url(self) -> str:
        return f"{self.base_url}/api/v1/accounts/verify_credentials"

    def get_callback_url(self, request, app):
        # Must match, to the character, the address registered on the server.
        return app.settings["redirect_uri"]

    def complete_login(self, request, app, token, **kwargs):
        with get_adapter().get_requests_session() as session:
            response = session.get(
                self.profile_url, headers={"Authorization": f"Bearer {token.token}"}
            )
            response.raise_for_status()
            data = response.json()
        data["_instance"] = self.instance
        return self.get_provider().sociallogin_from_response(request, data)


class MastodonCallbackView(OAuth2CallbackView):
    def dispatch(self, request, *args, **kwargs):
        provider = self.adapter.get_provider()
        if provider.app is None:
            # A callback naming a server we never registered with.
            from allauth.socialaccount.helpers import render_authentication_error

            return render_authentication_error(request, provider)
        return super().dispatch(request, *args, **kwargs)


oauth2_login = OAuth2LoginView.adapter_view(MastodonOAuth2Adapter)
oauth2_callback = MastodonCallbackView.adapter_view(MastodonOAuth2Adapter)
