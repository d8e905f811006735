"""The WordPress.com provider: an OAuth2 provider like allauth's own."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.socialaccount.providers.base import ProviderAccount
from allauth.socialaccount.providers.oauth2.provider import OAuth2Provider

from .views import WordPressComOAuth2Adapter


class WordPressComAccount(ProviderAccount):
    def get_profile_url(self):
        return self.account.extra_data.get("profile_URL")

    def get_avatar_url(self):
        return self.account.extra_data.get("avatar_URL")

    def to_str(self):
        return self.account.extra_data.get("display_name") or super().to_str()


class WordPressComProvider(OAuth2Provider):
    id = "wordpress_com"
    name = "WordPress.com"
    account_class = WordPressComAccount
    oauth2_adapter_class = WordPressComOAuth2Adapter

    def get_default_scope(self):
        # "auth" gives /rest/v1/me and nothing else: no access to the blogs.
        return ["auth"]

    def extract_uid(self, data):
        return str(data["ID"])

    def extract_common_fields(self, data):
        name = data.get("display_name") or ""
        first, _, last = name.partition(" ")
        return {
            "username": data.get("username"),
            "email": data.get("email"),
            "first_name": first,
            "last_name": last,
        }

    def extract_email_addresses(self, data):
        email = data.get("email")
        if not email:
            return []
        return [
            EmailAddress(
                email=email, verified=bool(data.get("email_verified")), primary=True
            )
        ]


provider_classes = [WordPressComProvider]
