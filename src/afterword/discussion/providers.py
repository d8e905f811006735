"""The login providers offered above the comment form: only configured ones."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from afterword.core.urls import site_path

PROVIDERS_CACHE_KEY = "discussion:login-providers:v1"


@dataclass(frozen=True)
class LoginChoice:
    id: str
    name: str
    login_url: str
    asks_instance: bool = False


def _enabled_without_app(provider_id: str) -> bool:
    config = getattr(settings, "SOCIALACCOUNT_PROVIDERS", {}).get(provider_id, {})
    return bool(config.get("ENABLED"))


def login_choices(request) -> list[LoginChoice]:
    """Providers with an app configured (settings or admin), cached per site.

    Providers that need no pre-registered app (Mastodon registers itself on
    each instance) show only when ``SOCIALACCOUNT_PROVIDERS[id]["ENABLED"]``.
    """
    cached = cache.get(PROVIDERS_CACHE_KEY)
    if cached is not None:
        return cached
    from allauth.socialaccount.adapter import get_adapter

    choices = []
    seen = set()
    for provider in get_adapter().list_providers(request):
        if provider.id in seen:
            continue
        if not provider.uses_apps and not _enabled_without_app(provider.id):
            continue
        seen.add(provider.id)
        choices.append(
            LoginChoice(
                id=provider.id,
                name=provider.name,
                # From the site's root whatever the page's script prefix:
                # the list is kept for every page (see core.staticcopy).
                login_url=site_path(provider.get_login_url(request)),
                asks_instance=provider.id == "mastodon",
            )
        )
    cache.set(PROVIDERS_CACHE_KEY, choices, 300)
    return choices
