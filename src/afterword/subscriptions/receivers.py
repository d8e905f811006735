"""Receivers connected in ``apps.SubscriptionsConfig.ready``."""

from __future__ import annotations

from .tasks import start_fan_out


def post_went_live(sender, post, **kwargs) -> None:
    """Enqueue the notification of followers; never send in the request."""
    start_fan_out(post)
