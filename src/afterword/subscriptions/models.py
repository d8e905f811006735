"""Readers who follow the site, a series, a tag or a category by email.

One ``Subscriber`` per address (so a post reaches an address once, whatever
it follows), with its ``Follow`` rows. A follow counts only once confirmed
through the emailed link (double opt-in). ``FanOut`` records how far the
notification of one post has got, so a restarted worker resumes where the
last one stopped.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Subscriber(models.Model):
    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("Each new post, as it is published")
        WEEKLY = "weekly", _("A weekly digest")

    email = models.EmailField(max_length=254, unique=True)
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email


class Follow(models.Model):
    """One target an address follows: ``site``, ``series:<id>``, ``tag:<id>``,
    ``category:<id>``. A plain key keeps the matching query to one indexed
    ``IN``; names are looked up when shown."""

    subscriber = models.ForeignKey(
        Subscriber, related_name="follows", on_delete=models.CASCADE
    )
    target = models.CharField(max_length=40, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["subscriber", "target"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "target"], name="one_follow_per_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscriber} → {self.target}"


class FanOut(models.Model):
    """Progress of notifying followers about one post."""

    post = models.OneToOneField(
        "posts.Post", related_name="+", on_delete=models.CASCADE
    )
    # Highest subscriber id whose email is queued: chunks go in id order.
    cursor = models.BigIntegerField(default=0)
    queued = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    progressed_at = models.DateTimeField(default=timezone.now)
    queued_all_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Notifications for post {self.post_id}"


class DigestRun(models.Model):
    """The one scheduled weekly digest run (a single row), so it is never
    scheduled twice and a lost run can be noticed and scheduled again."""

    next_run_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Next digest at {self.next_run_at:%Y-%m-%d %H:%M}"
