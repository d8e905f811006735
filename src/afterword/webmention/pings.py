"""Older mentions kept elsewhere, shown with the webmentions: pingbacks.

Pingbacks and trackbacks imported from WordPress stay the comments the
importer made of them (so the WXR export gives them back as pings); the
app that knows which comments they are registers a provider here from its
``ready()`` (``portability``), and the Mentions section lists what the
providers give. Dependencies keep pointing one way: this app never imports
the importer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Ping:
    """One linking page as the section lists it."""

    author_name: str
    author_url: str
    created_at: datetime


Provider = Callable[[object], list[Ping]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Add ``provider(post) -> [Ping]``: a constant number of queries per post."""
    if provider not in _providers:
        _providers.append(provider)


def for_post(post) -> list[Ping]:
    found: list[Ping] = []
    for provider in _providers:
        found.extend(provider(post))
    return sorted(found, key=lambda ping: ping.created_at)
