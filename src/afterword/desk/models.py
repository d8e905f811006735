"""What the editor keeps between saves: autosaves and private preview links."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


class Autosave(models.Model):
    """The text a writer had in the editor, saved every few seconds.

    One row per writer and post, overwritten in place: it is never a
    revision and never reaches readers. ``base_revision`` is the revision the
    writer started from, so a save made on top of someone else's newer save
    is caught (``desk.editor``) instead of silently overwriting it.
    """

    post = models.ForeignKey(
        "posts.Post", related_name="autosaves", on_delete=models.CASCADE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE
    )
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    excerpt = models.TextField(blank=True)
    base_revision = models.ForeignKey(
        "posts.Revision",
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "user"], name="one_autosave_per_writer_and_post"
            )
        ]

    def __str__(self) -> str:
        return f"Autosave of {self.post_id} by {self.user_id} at {self.saved_at}"


def new_preview_token() -> str:
    return secrets.token_urlsafe(24)


class PreviewLinkQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class PreviewLink(models.Model):
    """A private address that shows a draft to whoever holds it, until it
    expires or its writer revokes it."""

    post = models.ForeignKey(
        "posts.Post", related_name="preview_links", on_delete=models.CASCADE
    )
    token = models.CharField(max_length=64, unique=True, default=new_preview_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    note = models.CharField(
        max_length=200, blank=True, help_text="Who it is for, to tell links apart."
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Preview of {self.post_id} ({self.note or self.token[:6]})"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now
