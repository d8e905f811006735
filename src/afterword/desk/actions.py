"""Changes the desk owns: private preview links of posts.

A preview link shows a post's current text (a draft, or any status) to
whoever holds its address, until it expires or is revoked. Only a writer who
may edit the post (``posts.visibility.can_edit``: its author with the change
permission, a writer with ``posts.edit_others_posts``, a superuser) may make
or revoke one; a contributor makes links for their own drafts.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from afterword.core.actions import Action
from afterword.posts.models import Post
from afterword.posts.visibility import can_edit

from .models import PreviewLink

DEFAULT_LIFETIME = timedelta(days=7)
SHORTEST_LIFETIME = timedelta(hours=1)
LONGEST_LIFETIME = timedelta(days=30)


def check_may_preview(post: Post, user) -> None:
    """Refuse a writer who may not edit ``post`` (None: the installation)."""
    if user is not None and not can_edit(user, post):
        raise PermissionDenied(_("You can only share previews of posts you may edit."))


class CreatePreviewLink(Action):
    """Make a new preview link for ``post``, usable for ``lifetime``."""

    name = "desk.create_preview_link"

    def __init__(
        self,
        post: Post,
        *,
        user=None,
        lifetime: timedelta = DEFAULT_LIFETIME,
        note: str = "",
    ) -> None:
        super().__init__(user=user)
        self.post = post
        self.lifetime = lifetime
        self.note = note.strip()

    def check(self) -> None:
        super().check()
        check_may_preview(self.post, self.user)
        if not SHORTEST_LIFETIME <= self.lifetime <= LONGEST_LIFETIME:
            raise ValidationError(
                {"lifetime": _("A link lasts from one hour to 30 days.")}
            )
        if len(self.note) > 200 or "\x00" in self.note:
            raise ValidationError(
                {"note": _("Keep the note under 200 characters of plain text.")}
            )

    def execute(self) -> PreviewLink:
        now = timezone.now()
        return PreviewLink.objects.create(
            post=self.post,
            created_by=self.user if getattr(self.user, "pk", None) else None,
            note=self.note,
            created_at=now,
            expires_at=now + self.lifetime,
        )


class RevokePreviewLink(Action):
    """End a preview link now; its address answers 404 from then on."""

    name = "desk.revoke_preview_link"

    def __init__(self, link: PreviewLink, *, user=None) -> None:
        super().__init__(user=user)
        self.link = link

    def check(self) -> None:
        super().check()
        check_may_preview(self.link.post, self.user)

    def execute(self) -> PreviewLink:
        link = self.link
        if link.revoked_at is None:
            link.revoked_at = timezone.now()
            link.save(update_fields=["revoked_at"])
        return link
