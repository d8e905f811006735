"""What an event says: its name, its id and the payload receivers get.

Only what any reader may already see leaves the site. A post is described
only while it is live and public (``is_public_post``): a private, unlisted
or password-protected post, or a draft, sends nothing, and a comment is
described only when its post is such a post. A post that stops being public
is named by its id alone (``post.deleted``), since its title or address may
be what was just made private.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from afterword.discussion.models import Comment
from afterword.posts.models import Post
from afterword.posts.seo import absolute_url

from .models import Event

EXCERPT_WORDS = 40


@dataclass(frozen=True)
class Occurrence:
    """One event, told to every webhook that listens to it."""

    event: str
    subject: str  # "post:12", "comment:7"
    data: dict
    id: str = field(default_factory=lambda: f"evt_{uuid.uuid4().hex}")
    created_at: datetime = field(default_factory=timezone.now)

    def payload(self) -> dict:
        return {
            "id": self.id,
            "event": self.event,
            "created_at": _iso(self.created_at),
            "site": settings.SITE_URL.rstrip("/"),
            "data": self.data,
        }


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def is_public_post(post: Post) -> bool:
    """Live, and readable by anyone: the only posts webhooks describe."""
    return post.visibility == Post.Visibility.PUBLIC and post.is_live()


def post_data(post: Post) -> dict:
    return {
        "post": {
            "id": post.pk,
            "kind": post.kind,
            "title": post.title,
            "url": absolute_url(post.get_absolute_url()),
            "status": post.status,
            "published_at": _iso(post.published_at),
            "author": post.author.public_name,
        }
    }


def post_event(event: str, post: Post) -> Occurrence | None:
    """``post.published`` or ``post.updated`` for a public post; None otherwise."""
    if not is_public_post(post):
        return None
    return Occurrence(event, f"post:{post.pk}", post_data(post))


def post_gone(post_id: int, kind: str, *, deleted: bool) -> Occurrence:
    """``post.deleted``: the post is gone, or no longer public."""
    return Occurrence(
        Event.POST_DELETED,
        f"post:{post_id}",
        {
            "post": {
                "id": post_id,
                "kind": kind,
                "status": "deleted" if deleted else "unpublished",
            }
        },
    )


def comment_event(event: str, comment: Comment) -> Occurrence | None:
    """``comment.held`` or ``comment.approved``, for a comment on a public post."""
    post = comment.post
    if not is_public_post(post):
        return None
    approved = comment.status == Comment.Status.APPROVED
    text = " ".join(strip_tags(comment.body_html).split())
    return Occurrence(
        event,
        f"comment:{comment.pk}",
        {
            "comment": {
                "id": comment.pk,
                "status": "approved" if approved else "held",
                "author_name": comment.author_name,
                "excerpt": Truncator(text).words(EXCERPT_WORDS),
                "created_at": _iso(comment.created_at),
                # A held comment has no address readers can open yet.
                "url": absolute_url(comment.get_absolute_url()) if approved else None,
            },
            "post": {
                "id": post.pk,
                "title": post.title,
                "url": absolute_url(post.get_absolute_url()),
            },
        },
    )
