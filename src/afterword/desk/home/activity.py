"""Recent activity: what happened lately, newest first, in one short list.

Three small queries (posts that went live, comments readers can see, readers
who started following) of at most ``LENGTH`` rows each, merged by time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from afterword.discussion.models import Comment
from afterword.subscriptions.models import Subscriber

from . import scope

LENGTH = 10


@dataclass(frozen=True)
class Event:
    kind: str  # "post", "comment" or "follower"
    label: str
    when: datetime
    title: str
    url: str = ""
    # Who did it, when it was a reader (a comment's author).
    who: str = ""


def _published(user, now) -> list[Event]:
    posts = (
        scope.posts_for(user)
        .live(now)
        .only("id", "kind", "title", "slug", "status", "published_at", "created_at")
        .order_by("-published_at", "-id")[:LENGTH]
    )
    return [
        Event(
            "post",
            _("Published"),
            post.published_at,
            post.title,
            post.get_absolute_url(),
        )
        for post in posts
    ]


def _comments(user) -> list[Event]:
    comments = (
        scope.comments_for(user, Comment.objects.approved())
        .select_related("post")
        .only(
            "id",
            "author_name",
            "created_at",
            "post__id",
            "post__kind",
            "post__title",
            "post__slug",
            "post__published_at",
            "post__created_at",
        )
        .order_by("-created_at", "-id")[:LENGTH]
    )
    return [
        Event(
            "comment",
            _("Comment"),
            comment.created_at,
            comment.post.title,
            comment.get_absolute_url(),
            who=comment.author_name,
        )
        for comment in comments
    ]


def _followers(user) -> list[Event]:
    if not scope.sees_followers(user):
        return []
    subscribers = (
        Subscriber.objects.filter(
            confirmed_at__isnull=False, unsubscribed_at__isnull=True
        )
        .only("email", "confirmed_at")
        .order_by("-confirmed_at", "-id")[:LENGTH]
    )
    return [
        Event("follower", _("New follower"), sub.confirmed_at, sub.email)
        for sub in subscribers
    ]


def recent(user, now=None) -> list[Event]:
    now = now or timezone.now()
    events = _published(user, now) + _comments(user) + _followers(user)
    events.sort(key=lambda event: event.when, reverse=True)
    return events[:LENGTH]
