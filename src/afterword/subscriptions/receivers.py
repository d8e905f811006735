"""Receivers connected in ``apps.SubscriptionsConfig.ready``."""

from __future__ import annotations


def post_went_live(sender, post, **kwargs) -> None:
    """Enqueue the notification of followers; never send in the request."""
    from .fanout import start

    start(post)
