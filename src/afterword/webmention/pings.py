"""Older mentions kept elsewhere, shown with the webmentions: pingbacks.

Pingbacks and trackbacks imported from WordPress stay the comments the
importer made of them (so the WXR export gives them back as pings); the
app that knows which comments they are registers a provider here from its
``ready()`` (``portability``), and the Mentions section lists what the
providers give. Dependencies keep pointing one way: this app never imports
the importer.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Ping:
    """One linking page as the section lists it."""

    author_name: str
    author_url: str
    created_at: datetime


# ``provider(post_ids)`` -> {post id: [Ping]}; ``None`` means every post.
Provider = Callable[[Collection[int] | None], dict[int, list[Ping]]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Add a provider: a constant number of queries however many posts."""
    if provider not in _providers:
        _providers.append(provider)


def for_posts(post_ids: Collection[int] | None = None) -> dict[int, list[Ping]]:
    """The pings of several posts (of every post: ``None``), oldest first."""
    found: dict[int, list[Ping]] = {}
    for provider in _providers:
        for post_id, items in provider(post_ids).items():
            found.setdefault(post_id, []).extend(items)
    for items in found.values():
        items.sort(key=lambda ping: ping.created_at)
    return found


def for_post(post) -> list[Ping]:
    return for_posts([post.pk]).get(post.pk, [])
