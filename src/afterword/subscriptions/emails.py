"""The emails followers get: their links, a stable Message-ID, and queueing.

Below ``services``, ``fanout`` and ``digest``, which all send through
:func:`queue_for`; it imports none of them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from afterword.outbox.services import queue_email
from afterword.posts.seo import absolute_url

from . import tokens
from .models import Subscriber


def manage_url(subscriber: Subscriber) -> str:
    return absolute_url(
        reverse("subscriptions:manage", args=[tokens.manage_token(subscriber)])
    )


def unsubscribe_url(subscriber: Subscriber) -> str:
    return absolute_url(
        reverse("subscriptions:unsubscribe", args=[tokens.manage_token(subscriber)])
    )


def message_id(key: str) -> str:
    """A Message-ID fixed by the outbox key.

    Should an email ever be sent twice (a worker killed in the instant
    between the SMTP server accepting it and the outbox recording that), both
    copies are the same message to the reader's mail client.
    """
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<{key.replace(':', '.')}@{host}>"


def queue_for(subscriber: Subscriber, key: str, subject: str, template: str, **context):
    """Queue one email to ``subscriber`` with manage and one-click unsubscribe."""
    unsubscribe = unsubscribe_url(subscriber)
    context.update(
        subscriber=subscriber,
        manage_url=manage_url(subscriber),
        unsubscribe_url=unsubscribe,
    )
    return queue_email(
        key,
        to=subscriber.email,
        subject=subject,
        text=render_to_string(template, context),
        headers={"Message-ID": message_id(key)},
        unsubscribe_url=unsubscribe,
    )
