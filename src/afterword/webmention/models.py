"""Webmentions received for our posts, and those our posts sent.

``Webmention`` is one (source, target) pair another site told us about: it
is stored at once, verified later by a task (``verification``), judged by
the comment rules (``moderation``) and shown under its post once approved.
``SentWebmention`` remembers, per post and linked address, where we sent
and what came back, so an unchanged post is not sent again and a link
removed since the last send is notified too (the spec asks for both).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

URL_LENGTH = 2000


class WebmentionQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Webmention.Status.APPROVED)


class Webmention(models.Model):
    class Kind(models.TextChoices):
        # Nouns (the desk's "Reply: …"), not the buttons' verbs.
        REPLY = "reply", pgettext_lazy("webmention kind", "Reply")
        LIKE = "like", pgettext_lazy("webmention kind", "Like")
        REPOST = "repost", pgettext_lazy("webmention kind", "Repost")
        BOOKMARK = "bookmark", pgettext_lazy("webmention kind", "Bookmark")
        MENTION = "mention", pgettext_lazy("webmention kind", "Mention")

    class Status(models.TextChoices):
        # Received, not verified yet (the task has not run).
        UNVERIFIED = "unverified", _("Not verified yet")
        # Verification failed (unreachable, too large, no link): kept with
        # the reason, shown nowhere.
        FAILED = "failed", _("Verification failed")
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        TRASH = "trash", _("Trash")

    post = models.ForeignKey(
        "posts.Post", related_name="webmentions", on_delete=models.CASCADE
    )
    source = models.CharField(max_length=URL_LENGTH)
    target = models.CharField(max_length=URL_LENGTH)
    # The source's host, lower case without "www.": judged by the block
    # lists and by "an earlier approved webmention from the same site".
    source_domain = models.CharField(max_length=255, db_index=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MENTION)
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.UNVERIFIED,
        db_index=True,
    )
    # Why verification or moderation decided as it did, for the writer.
    note = models.CharField(max_length=300, blank=True)
    author_name = models.CharField(max_length=200, blank=True)
    author_url = models.CharField(max_length=URL_LENGTH, blank=True)
    # Kept, never shown: the theme draws the author's initial instead, since
    # the page's CSP allows no remote image.
    author_photo = models.CharField(max_length=URL_LENGTH, blank=True)
    # The reply's text, as plain text (never the source's HTML).
    content = models.TextField(blank=True)
    # The mentioning entry's own address (its u-url), else the source.
    url = models.CharField(max_length=URL_LENGTH, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(null=True, blank=True)

    objects = WebmentionQuerySet.as_manager()

    class Meta:
        ordering = ["published_at", "received_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target"], name="one_webmention_per_source_target"
            )
        ]
        indexes = [models.Index(fields=["post", "status"])]

    def __str__(self) -> str:
        return f"{self.source} → {self.target} ({self.kind}, {self.status})"

    @property
    def shown_date(self):
        return self.published_at or self.verified_at or self.received_at

    @property
    def display_name(self) -> str:
        return self.author_name or self.source_domain

    @property
    def initial(self) -> str:
        return (self.display_name[:1] or "?").upper()


class SentWebmention(models.Model):
    """One link of a public post, and what sending a webmention for it did."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("Sent")
        NO_ENDPOINT = "no-endpoint", _("No endpoint")
        FAILED = "failed", _("Failed")
        # Imported with its post: the old site told these links long ago.
        IMPORTED = "imported", _("Imported, not sent")

    post = models.ForeignKey(
        "posts.Post", related_name="sent_webmentions", on_delete=models.CASCADE
    )
    target = models.CharField(max_length=URL_LENGTH)
    endpoint = models.CharField(max_length=URL_LENGTH, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    # The endpoint's HTTP status, or None when nothing was posted.
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    # Whether the post linked to the target at the last send; a link removed
    # since is notified once, then kept as False.
    linked = models.BooleanField(default=True)
    # A digest of the post's HTML when last sent: the same digest and the
    # link still there means nothing to tell.
    body_digest = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["post", "target"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "target"], name="one_sent_webmention_per_link"
            )
        ]

    def __str__(self) -> str:
        return f"{self.post_id} → {self.target}: {self.outcome}"
