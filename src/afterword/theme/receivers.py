"""The theme's cached appearance follows its row (``core.changes``)."""

from __future__ import annotations

from django.core.cache import cache

from .models import CACHE_KEY, SiteAppearance


def forget_appearance(changed) -> None:
    if SiteAppearance in changed:
        cache.delete(CACHE_KEY)
