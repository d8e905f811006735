"""The fediverse as the site sees it: its own actors, the remote ones, who
follows whom, what was sent and what came in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LocalActor(models.Model):
    """One of this site's actors: an author (``user``) or the blog itself.

    The RSA key signs everything the actor sends; it is made once, on first
    use (``actors.local_actor``), and never leaves the site but as its
    public half in the actor document.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        related_name="fediverse_actor",
        on_delete=models.CASCADE,
    )
    # The part before the @ of the handle: the username, or the blog's
    # handle (AFTERWORD_FEDERATION_SITE_HANDLE) when ``user`` is empty.
    handle = models.CharField(max_length=150, unique=True)
    public_key_pem = models.TextField()
    private_key_pem = models.TextField()
    # Off: follows are accepted at once. On: the writer approves each one.
    approve_followers = models.BooleanField(
        _("approve each follower"),
        default=False,
        help_text=_("Hold follow requests until you accept them in the desk."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.handle

    @property
    def is_site(self) -> bool:
        return self.user_id is None


class RemoteActor(models.Model):
    """An account on another server, as its actor document described it."""

    uri = models.URLField(max_length=500, unique=True)
    inbox = models.URLField(max_length=500)
    shared_inbox = models.URLField(max_length=500, blank=True)
    url = models.URLField(max_length=500, blank=True)
    username = models.CharField(max_length=150, blank=True)
    domain = models.CharField(max_length=255, db_index=True)
    name = models.CharField(max_length=200, blank=True)
    # Where the avatar was found, and our own copy of it (media storage):
    # pages show the copy, so readers' browsers never contact that server.
    icon_url = models.URLField(max_length=500, blank=True)
    avatar = models.CharField(max_length=300, blank=True)
    key_id = models.CharField(max_length=500, blank=True, db_index=True)
    public_key_pem = models.TextField(blank=True)
    moved_to = models.URLField(max_length=500, blank=True)
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["domain", "username"]

    def __str__(self) -> str:
        return self.handle

    @property
    def handle(self) -> str:
        return f"@{self.username or '?'}@{self.domain}"

    @property
    def display_name(self) -> str:
        return self.name or self.username or self.domain

    @property
    def delivery_inbox(self) -> str:
        return self.shared_inbox or self.inbox


class Follower(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        ACCEPTED = "accepted", _("Following")

    actor = models.ForeignKey(
        LocalActor, related_name="followers", on_delete=models.CASCADE
    )
    remote = models.ForeignKey(
        RemoteActor, related_name="following", on_delete=models.CASCADE
    )
    state = models.CharField(max_length=10, choices=State.choices)
    # The id of their Follow: our Accept or Reject names it.
    follow_id = models.URLField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "remote"], name="one_follow_per_remote"
            )
        ]
        indexes = [models.Index(fields=["actor", "state"])]

    def __str__(self) -> str:
        return f"{self.remote} → {self.actor}"


class Reaction(models.Model):
    """A Like or an Announce (boost) of one of the site's posts."""

    class Kind(models.TextChoices):
        LIKE = "like", _("Like")
        ANNOUNCE = "announce", _("Boost")

    post = models.ForeignKey(
        "posts.Post", related_name="fediverse_reactions", on_delete=models.CASCADE
    )
    remote = models.ForeignKey(
        RemoteActor, related_name="reactions", on_delete=models.CASCADE
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    activity_id = models.URLField(max_length=500, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "remote", "kind"], name="one_reaction_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.post_id} by {self.remote_id}"


class FediverseComment(models.Model):
    """A comment that is a fediverse object: a reply that came in, or the
    writer's answer that went out (``remote`` empty)."""

    comment = models.OneToOneField(
        "discussion.Comment", related_name="fediverse", on_delete=models.CASCADE
    )
    object_id = models.URLField(max_length=500, unique=True)
    remote = models.ForeignKey(
        RemoteActor,
        null=True,
        blank=True,
        related_name="comments",
        on_delete=models.CASCADE,
    )

    def __str__(self) -> str:
        return self.object_id


class Block(models.Model):
    """A server or an account the writer will not hear from."""

    class Kind(models.TextChoices):
        DOMAIN = "domain", _("Server")
        ACTOR = "actor", _("Account")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    # A lower-case domain, or an actor's id.
    value = models.CharField(max_length=500)
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
                fields=["kind", "value"], name="one_fediverse_block_per_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"


class PublishedObject(models.Model):
    """What the fediverse was last told about one post: its id, and whether
    it is out there (a Create or Update) or gone (a Delete: the id answers
    with a Tombstone from then on)."""

    post_id = models.PositiveIntegerField(unique=True)
    # Kept after the post row is deleted, for the Tombstone.
    author = models.ForeignKey(
        LocalActor, related_name="published_objects", on_delete=models.CASCADE
    )
    published = models.BooleanField(default=True)
    updated_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"post {self.post_id}"


class Instance(models.Model):
    """A server the site delivers to, and how that has been going."""

    domain = models.CharField(max_length=255, unique=True)
    # Set at a failed delivery when unset; cleared by any success. A server
    # failing for AFTERWORD_FEDERATION_DEAD_AFTER (a week) is skipped.
    failing_since = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.domain


class Delivery(models.Model):
    """One activity to one inbox, claimed and posted like a webhook."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    activity_id = models.URLField(max_length=500)
    inbox = models.URLField(max_length=500)
    domain = models.CharField(max_length=255)
    signer = models.ForeignKey(
        LocalActor, related_name="deliveries", on_delete=models.CASCADE
    )
    payload = models.JSONField()
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["activity_id", "inbox"], name="one_delivery_per_inbox"
            )
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["domain", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} → {self.inbox}"


class ReceivedActivity(models.Model):
    """The id of every activity the inbox acted on: one sent twice (a
    retry, a second shared inbox) is acknowledged and not acted on again."""

    activity_id = models.URLField(max_length=500, unique=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.activity_id
