"""What needs the writer first: the top of the desk's home.

Four short lists, each a single query of a few rows whatever the size of
the site: comments held for moderation, series parts promised for a date
that has passed, drafts nobody has touched for weeks, and the posts
scheduled to go out next. Every item carries the address where it is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from afterword.discussion.models import Comment
from afterword.posts.models import Post
from afterword.series.models import SeriesPart

from . import scope
from .links import edit_url, series_url

LIST_LENGTH = 5
# A draft nobody has opened for this long is probably forgotten.
STALE_AFTER = timedelta(days=21)

# What a post row needs on the home: never the article itself.
POST_FIELDS = ("id", "kind", "title", "slug", "status", "published_at")


@dataclass(frozen=True)
class Item:
    """One line of a list: what it is, where to fix it, and its date."""

    title: str
    url: str
    when: object = None
    note: str = ""


@dataclass
class Attention:
    held: list = field(default_factory=list)
    promises: list[Item] = field(default_factory=list)
    stale_drafts: list[Item] = field(default_factory=list)
    scheduled: list[Item] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.held or self.promises or self.stale_drafts or self.scheduled)


def held_comments(user) -> list[Comment]:
    """The newest comments awaiting moderation, for those who moderate."""
    if not scope.moderates_comments(user):
        return []
    held = scope.comments_for(user, Comment.objects.held())
    return list(
        held.select_related("post")
        .defer("post__body", "post__body_html", "post__feed_html")
        .order_by("-created_at", "-id")[:LIST_LENGTH]
    )


def promises_due(user, now=None) -> list[Item]:
    """Series parts whose expected date has passed with no live post yet."""
    now = now or timezone.now()
    parts = SeriesPart.objects.filter(
        expected_date__lt=timezone.localdate(now)
    ).exclude(post__in=Post.objects.live(now))
    if not scope.sees_everything(user):
        parts = parts.filter(post__author=user)
    parts = parts.select_related("series").order_by("expected_date", "position", "pk")
    items = []
    for part in parts.select_related("post").only(
        "position",
        "planned_title",
        "expected_date",
        "series__id",
        "series__title",
        *(f"post__{name}" for name in POST_FIELDS),
    )[:LIST_LENGTH]:
        url = edit_url(part.post) if part.post_id else series_url(part.series)
        items.append(Item(part.title, url, part.expected_date, part.series.title))
    return items


def stale_drafts(user, now=None) -> list[Item]:
    """Drafts untouched for three weeks or more, the oldest first."""
    now = now or timezone.now()
    drafts = scope.posts_for(user).filter(
        status=Post.Status.DRAFT, updated_at__lte=now - STALE_AFTER
    )
    drafts = drafts.only(*POST_FIELDS, "updated_at").order_by("updated_at", "pk")
    return [
        Item(post.title, edit_url(post), post.updated_at)
        for post in drafts[:LIST_LENGTH]
    ]


def scheduled(user, now=None) -> list[Item]:
    """Posts waiting for their time, the next one first."""
    now = now or timezone.now()
    waiting = scope.posts_for(user).filter(
        status=Post.Status.SCHEDULED, published_at__gt=now
    )
    return [
        Item(post.title, edit_url(post), post.published_at)
        for post in waiting.only(*POST_FIELDS).order_by("published_at", "pk")[
            :LIST_LENGTH
        ]
    ]


def gather(user, now=None) -> Attention:
    now = now or timezone.now()
    return Attention(
        held=held_comments(user),
        promises=promises_due(user, now),
        stale_drafts=stale_drafts(user, now),
        scheduled=scheduled(user, now),
    )
