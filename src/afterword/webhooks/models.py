"""Webhooks and their deliveries; see the package docstring for the rules."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """What a webhook can be told about."""

    POST_PUBLISHED = "post.published", _("A post is published")
    POST_UPDATED = "post.updated", _("A published post is changed")
    POST_DELETED = "post.deleted", _("A published post is deleted or unpublished")
    COMMENT_HELD = "comment.held", _("A comment is held for moderation")
    COMMENT_APPROVED = "comment.approved", _("A comment is approved")


# Sent only when the writer asks (desk: "Send a test event"), whatever the
# webhook listens to.
PING = "ping"


def new_secret() -> str:
    """A signing secret: 32 random bytes, readable enough to copy by hand."""
    return f"whsec_{secrets.token_urlsafe(32)}"


class Webhook(models.Model):
    url = models.URLField(max_length=500)
    # A list of Event values; a webhook hears only these.
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.url

    def hears(self, event: str) -> bool:
        return self.active and event in self.events

    def event_labels(self) -> list[str]:
        labels = dict(Event.choices)
        return [str(labels[name]) for name in Event.values if name in self.events]


class WebhookDelivery(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    webhook = models.ForeignKey(
        Webhook, related_name="deliveries", on_delete=models.CASCADE
    )
    event = models.CharField(max_length=32)
    # The same for every webhook told about one event, and sent with every
    # attempt (``Afterword-Delivery``): receivers can drop a repeat by it.
    event_id = models.CharField(max_length=64)
    # What the event is about ("post:12", "comment:7"), to find its history.
    subject = models.CharField(max_length=40, db_index=True)
    payload = models.JSONField()
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The task worker posting it (afterword.taskworker): if that worker dies,
    # the row goes back to pending instead of staying "sending" for ever.
    claimed_by = models.CharField(max_length=64, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["webhook", "event_id"], name="one_delivery_per_event"
            )
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} {self.event_id} → {self.webhook_id}"
