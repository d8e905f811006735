"""OAuth2 adapter and views for WordPress.com.

Endpoints (developer.wordpress.com/docs/oauth2/): ``/oauth2/authorize``,
``/oauth2/token`` and ``/rest/v1/me`` under ``https://public-api.wordpress.com``,
which ``SOCIALACCOUNT_PROVIDERS["wordpress_com"]["BASE_URL"]`` overrides.
"""

from __future__ import annotations

from allauth.socialaccount import app_settings
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.oauth2.views import (
    OAuth2Adapter,
    OAuth2CallbackView,
    OAuth2LoginView,
)

DEFAULT_BASE_URL = "https://public-api.wordpress.com"


class WordPressComOAuth2Adapter(OAuth2Adapter):
    provider_id = "wordpress_com"

    @property
    def base_url(self) -> str:
        settings = app_settings.PROVIDERS.get(self.provider_id, {})
        return settings.get("BASE_URL", DEFAULT_BASE_URL).rstrip("/")

    @property
    def authorize_url(self) -> str:
        return f"{self.base_url}/oauth2/authorize"

    @property
    def access_token_url(self) -> str:
        return f"{self.base_url}/oauth2/token"

    @property
    def profile_url(self) -> str:
        return f"{self.base_url}/rest/v1/me"

    def complete_login(self, request, app, token, **kwargs):
        with get_adapter().get_requests_session() as session:
            response = session.get(
                self.profile_url, headers={"Authorization": f"Bearer {token.token}"}
            )
            response.raise_for_status()
            data = response.json()
        return self.get_provider().sociallogin_from_response(request, data)


oauth2_login = OAuth2LoginView.adapter_view(WordPressComOAuth2Adapter)
oauth2_callback = OAuth2CallbackView.adapter_view(WordPressComOAuth2Adapter)
