"""Comments, the writer's discussion settings, and comment subscriptions."""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

SETTINGS_CACHE_KEY = "discussion:settings:v1"
AVATAR_KEY_SALT = "afterword.discussion.avatar"


@functools.lru_cache(maxsize=4096)
def _identity_hash(secret: str, source: str) -> str:
    # Kept per process: regular commenters come back on every page of a
    # thread, and a static build prints each of their comments.
    return salted_hmac(
        AVATAR_KEY_SALT, source, secret=secret, algorithm="sha256"
    ).hexdigest()[:32]


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def held(self):
        return self.filter(status=Comment.Status.PENDING)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        SPAM = "spam", _("Spam")
        TRASH = "trash", _("Trash")

    post = models.ForeignKey(
        "posts.Post", related_name="comments", on_delete=models.CASCADE
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, related_name="replies", on_delete=models.CASCADE
    )
    # 0 for a top-level comment; stored so depth limits need no tree walk.
    depth = models.PositiveSmallIntegerField(default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="comments",
        on_delete=models.SET_NULL,
    )
    author_name = models.CharField(max_length=100)
    # Never published: used for notifications, Gravatar and known-commenter checks.
    author_email = models.EmailField(blank=True)
    author_url = models.URLField(max_length=200, blank=True)
    # Which login the comment came through, e.g. "Google"; empty for guests.
    provider_name = models.CharField(max_length=60, blank=True)
    # A reply from the fediverse: the account's handle (@rin@example.social)
    # and our own copy of its avatar (a media path); empty otherwise.
    author_handle = models.CharField(max_length=255, blank=True, default="")
    author_avatar = models.CharField(max_length=300, blank=True, default="")
    body = models.TextField()
    body_html = models.TextField(blank=True)
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # Why moderation held or refused it, for the writer in the queue.
    moderation_note = models.CharField(max_length=200, blank=True)
    is_post_author = models.BooleanField(default=False)
    notify_replies = models.BooleanField(
        default=False, help_text="Email the commenter when someone replies."
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["post", "status", "created_at"]),
            # The desk's tabs: a status, newest first; their capped counts
            # read this index only (core.counting).
            models.Index(
                fields=["status", "created_at", "id"], name="comment_by_status"
            ),
        ]
        permissions = [
            (
                "moderate_own_comment",
                "Can moderate the comments on their own posts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.author_name} on {self.post_id}: {self.body[:40]}"

    def get_absolute_url(self) -> str:
        return f"{self.post.get_absolute_url()}#comment-{self.pk}"

    @property
    def identity_hash(self) -> str:
        """A stable id for the commenter's drawn avatar, published in its URL.

        Keyed with the site's secret: a plain hash of an email address can be
        matched against a list of addresses (and the same address would give
        the same hash on every site), which would tell strangers who wrote.
        """
        source = (
            self.author_email.strip().lower()
            or f"user:{self.user_id}:{self.author_name}"
        )
        return _identity_hash(settings.SECRET_KEY, source)

    @property
    def gravatar_hash(self) -> str:
        return hashlib.md5(self.author_email.strip().lower().encode()).hexdigest()


class DiscussionSettings(models.Model):
    """The writer's comment policy: one row, edited in the admin."""

    comments_enabled = models.BooleanField(default=True)
    hold_first_comment = models.BooleanField(
        "hold a first comment",
        default=True,
        help_text="Hold comments from people with no approved comment yet.",
    )
    trust_logged_in = models.BooleanField(
        "publish logged-in readers at once",
        default=True,
        help_text="Readers logged in through an account (Google, Mastodon…) skip the "
        "first-comment hold; the other rules still apply.",
    )
    max_links = models.PositiveSmallIntegerField(
        default=2, help_text="Hold a comment with more links than this."
    )
    hold_words = models.TextField(
        blank=True,
        help_text="One word, email, IP or domain per line: matching comments are held.",
    )
    blocked_words = models.TextField(
        blank=True, help_text="One word per line: matching comments go to spam."
    )
    blocked_emails = models.TextField(blank=True, help_text="One address per line.")
    blocked_ips = models.TextField(
        blank=True, help_text="One IP address or network (CIDR) per line."
    )
    blocked_domains = models.TextField(
        blank=True,
        help_text="One domain per line: matched in emails, websites and links.",
    )
    close_after_days = models.PositiveIntegerField(
        default=0,
        help_text="Close comments on posts older than this many days (0: never).",
    )
    max_depth = models.PositiveSmallIntegerField(
        default=3, help_text="How deep replies may nest (1: no replies)."
    )
    edit_minutes = models.PositiveSmallIntegerField(
        default=15,
        help_text="How long commenters may edit or delete their own comment.",
    )
    use_gravatar = models.BooleanField(
        default=False,
        help_text="Show Gravatar images (readers' browsers then contact Gravatar). "
        "Off: avatars are drawn on this server.",
    )
    notify_author = models.BooleanField(
        default=True, help_text="Email the post's author about new and held comments."
    )
    flood_ip_limit = models.PositiveIntegerField(
        default=10, help_text="Comment posts allowed per IP address per window."
    )
    flood_identity_limit = models.PositiveIntegerField(
        default=5, help_text="Comments allowed per commenter per window."
    )
    flood_window_seconds = models.PositiveIntegerField(default=300)
    # Bumped on every save: cached comment threads are keyed by it, so a
    # change of depth or avatar policy shows at once.
    generation = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "discussion settings"
        verbose_name_plural = "discussion settings"

    def __str__(self) -> str:
        return "Discussion settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        self.generation += 1
        super().save(*args, **kwargs)
        cache.delete(SETTINGS_CACHE_KEY)

    @classmethod
    def load(cls) -> DiscussionSettings:
        """The current settings, from the cache when possible (no query per page)."""
        current = cache.get(SETTINGS_CACHE_KEY)
        if current is None:
            current = cls.objects.filter(pk=1).first() or cls(pk=1)
            cache.set(SETTINGS_CACHE_KEY, current, None)
        return current

    @staticmethod
    def lines(value: str) -> list[str]:
        return [line.strip().lower() for line in value.splitlines() if line.strip()]


class CommentSubscription(models.Model):
    """A reader's "email me new comments on this post", confirmed by email."""

    post = models.ForeignKey(
        "posts.Post", related_name="comment_subscriptions", on_delete=models.CASCADE
    )
    email = models.EmailField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "email"], name="one_subscription_per_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.post_id}"


class Block(models.Model):
    """An address, email or domain the writer blocked from the comments screen.

    Kept beside the settings' block lists (``DiscussionSettings.blocked_*``),
    which are edited as text: a row here also says who blocked it, when and
    why. Moderation treats both the same way: a matching comment is spam.
    """

    class Kind(models.TextChoices):
        ADDRESS = "address", "IP address"
        EMAIL = "email", "Email address"
        DOMAIN = "domain", "Domain"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    # Stored normalised (lower case; an address or a CIDR network).
    value = models.CharField(max_length=255)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "value"], name="one_block_per_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"
