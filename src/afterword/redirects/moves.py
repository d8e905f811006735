"""Redirects recorded when an address of the site changes.

The posts actions send ``posts.signals.address_changed`` inside their
transaction when a live post or page gets a new address (its slug, or the
``/YYYY/MM/`` of its date), when a post goes live, and when a tag or
category is created or renamed; this records the redirect in the same
transaction, so a move and its redirect are saved together or not at all.
"""

from __future__ import annotations

from afterword.posts.models import Post

from .actions import RecordMove


def on_address_changed(sender, instance, old_address: str, new_address: str, **kw):
    post = instance if isinstance(instance, Post) else None
    RecordMove(old_address, new_address, post=post).run()
