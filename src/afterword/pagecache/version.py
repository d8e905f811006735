"""The content version record that every cached page and fragment is keyed on.

One tuple, ``(version, changed_at, next_change)``, under ``STATE_KEY`` in the
shared cache (``state`` explains each field and starts new versions). This
module only says what the record is and how to read it, so that ``files``
can check the version after writing a page without importing ``state``,
which itself calls ``files`` to clear the page files on every new version.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import BaseCache, caches

STATE_KEY = "afterword:pagecache:state"


@dataclass(frozen=True)
class ContentState:
    version: str
    changed_at: float
    next_change: float | None


def shared_cache() -> BaseCache:
    return caches["default"]


def read_state(cache: BaseCache | None = None) -> ContentState | None:
    raw = (cache or shared_cache()).get(STATE_KEY)
    return ContentState(*raw) if raw is not None else None
