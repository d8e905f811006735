"""A redirect: an old address of the site and where it now leads."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .paths import MAX_LENGTH


class Redirect(models.Model):
    """``old_path`` answers ``status`` to ``target_post``'s address, or to
    ``target_path``.

    A redirect to a post follows the post: if its address changes again, the
    redirect leads to the new one without being rewritten. Paths are stored
    as ``paths.normalise`` spells them (decoded, with the trailing slash).
    A redirect only answers an address the site would otherwise answer with
    a 404 (``middleware``), so a live page always wins.
    """

    class Status(models.IntegerChoices):
        PERMANENT = 301, _("Permanent (301)")
        TEMPORARY = 302, _("Temporary (302)")

    class Source(models.TextChoices):
        MOVED = "moved", _("Address changed")
        IMPORTED = "imported", _("WordPress import")
        MANUAL = "manual", _("Made by hand")

    old_path = models.CharField(
        _("old address"),
        max_length=MAX_LENGTH,
        unique=True,
        help_text=_("A path of this site, such as /2019/05/old-title/."),
    )
    target_post = models.ForeignKey(
        "posts.Post",
        verbose_name=_("post"),
        null=True,
        blank=True,
        related_name="redirects",
        # A redirect to a deleted post has nowhere to go.
        on_delete=models.CASCADE,
    )
    target_path = models.CharField(
        _("new address"),
        max_length=MAX_LENGTH,
        blank=True,
        help_text=_("A path of this site; leave empty when a post is chosen."),
    )
    status = models.PositiveSmallIntegerField(
        _("kind"), choices=Status.choices, default=Status.PERMANENT
    )
    source = models.CharField(
        _("made by"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(target_path="") | Q(target_post__isnull=False),
                name="redirect_has_a_target",
                violation_error_message=_(
                    "Say where the redirect leads: a new address or a post."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.old_path} → {self.target_display()}"

    def target_display(self) -> str:
        """Where the redirect leads now (a post's current address)."""
        if self.target_post_id is not None:
            return self.target_post.get_absolute_url()
        return self.target_path

    def destination(self) -> str | None:
        """The address to send a reader to now, or None if there is none
        (the post is not live: its old address stays a 404 too)."""
        if self.target_post_id is not None:
            post = self.target_post
            return post.get_absolute_url() if post.is_live() else None
        return self.target_path or None
