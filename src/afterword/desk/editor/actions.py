"""The editor's own changes: the unsaved text a writer keeps between saves.

An autosave is never a revision and never reaches readers; it belongs to one
writer and one post and is overwritten in place every few seconds.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from afterword.core.actions import Action
from afterword.posts.actions import check_role_rules
from afterword.posts.models import Post, Revision

from ..models import Autosave


def _may_write(post: Post, user) -> None:
    if user is None:
        return
    if not user.has_perm("posts.change_post"):
        raise PermissionDenied("Your role does not include changing posts.")
    check_role_rules(post, user)


class WriteAutosave(Action):
    """Keep what ``user`` has in the editor for ``post`` (one row, replaced)."""

    name = "desk.write_autosave"

    def __init__(
        self,
        post: Post,
        *,
        user,
        title: str,
        body: str,
        excerpt: str = "",
        base_revision: Revision | None = None,
    ):
        super().__init__(user=user)
        self.post = post
        self.fields = {
            "title": title[:300],
            "body": body,
            "excerpt": excerpt,
            "base_revision": base_revision,
        }

    def check(self) -> None:
        super().check()
        _may_write(self.post, self.user)

    def execute(self) -> Autosave:
        autosave, _ = Autosave.objects.update_or_create(
            post=self.post,
            user=self.user,
            defaults={**self.fields, "saved_at": timezone.now()},
        )
        return autosave


class DiscardAutosave(Action):
    """Forget ``user``'s unsaved text for ``post`` (after a save, or on request)."""

    name = "desk.discard_autosave"

    def __init__(self, post: Post, *, user):
        super().__init__(user=user)
        self.post = post

    def execute(self) -> int:
        deleted, _ = Autosave.objects.filter(post=self.post, user=self.user).delete()
        return deleted
