"""Signal receivers of the discussion (connected in ``apps.py``)."""

from __future__ import annotations

from django.core.cache import cache

from .providers import PROVIDERS_CACHE_KEY


def remember_login_provider(sender, request, user, **kwargs) -> None:
    """Keep the provider's name in the session for "You are commenting using…"."""
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is not None and request is not None:
        provider = sociallogin.provider or sociallogin.account.get_provider(request)
        request.session["afterword_login_provider"] = provider.name
    elif request is not None:
        request.session.pop("afterword_login_provider", None)


def forget_providers(sender, **kwargs) -> None:
    cache.delete(PROVIDERS_CACHE_KEY)
