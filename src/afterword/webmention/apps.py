"""Webmention (W3C Recommendation): sending, receiving and showing mentions.

See ``docs/webmention.md`` for what a writer and a reader see.
"""

from django.apps import AppConfig


class WebmentionConfig(AppConfig):
    name = "afterword.webmention"
    label = "webmention"
    verbose_name = "Webmention"

    def ready(self) -> None:
        from afterword.core import actions, changes, discovery
        from afterword.posts.signals import post_went_live

        from . import actions as webmention_actions
        from . import discovery as webmention_discovery
        from . import receivers
        from .models import SentWebmention, Webmention

        discovery.register(webmention_discovery.links)
        changes.public(
            Webmention,
            shown_on="the Mentions section under its post",
            # Unverified, held, spam and trashed mentions show nowhere:
            # receiving one changes no page.
            visible=lambda mention: mention.status == Webmention.Status.APPROVED,
            visible_fields=["status"],
        )
        changes.internal(
            SentWebmention, reason="what our posts' webmentions to others did"
        )
        actions.for_model(
            Webmention, save=None, delete=webmention_actions.DeleteWebmention
        )
        post_went_live.connect(
            receivers.on_post_went_live, dispatch_uid="webmention-post-went-live"
        )
        changes.subscribe(receivers.on_public_changes, uid="webmention-send")
