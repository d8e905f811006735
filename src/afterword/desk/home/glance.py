"""The home's figures: one aggregate query per model, whatever the site's size.

Posts, comments and followers are each counted with conditional
aggregation (``Count(..., filter=Q(...))``) in a single query. This week's
readers come from the statistics app when it is installed; without it the
figure is shown as unknown rather than as a misleading zero.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from afterword.discussion.models import Comment
from afterword.posts.models import Post, live_condition
from afterword.subscriptions.models import Subscriber

from . import scope
from .attention import STALE_AFTER

READERS_DAYS = 7


@dataclass(frozen=True)
class Glance:
    published: int
    drafts: int
    stale_drafts: int
    scheduled: int
    comments_approved: int
    comments_held: int
    followers: int
    # None: the statistics app is not there to say.
    readers: int | None


def post_counts(user, now) -> dict[str, int]:
    return scope.posts_for(user).aggregate(
        published=Count("pk", filter=live_condition(now)),
        drafts=Count("pk", filter=Q(status=Post.Status.DRAFT)),
        stale_drafts=Count(
            "pk",
            filter=Q(status=Post.Status.DRAFT, updated_at__lte=now - STALE_AFTER),
        ),
        scheduled=Count(
            "pk", filter=Q(status=Post.Status.SCHEDULED, published_at__gt=now)
        ),
    )


def comment_counts(user) -> dict[str, int]:
    return scope.comments_for(user, Comment.objects.all()).aggregate(
        comments_approved=Count("pk", filter=Q(status=Comment.Status.APPROVED)),
        comments_held=Count("pk", filter=Q(status=Comment.Status.PENDING)),
    )


def follower_count() -> int:
    """Addresses that confirmed and have not unsubscribed."""
    return Subscriber.objects.aggregate(
        followers=Count(
            "pk", filter=Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True)
        )
    )["followers"]


def weekly_readers(days: int = READERS_DAYS) -> int | None:
    """Readers over the last ``days`` from ``afterword.stats``, if installed."""
    try:
        from afterword.stats.queries import site_summary
    except ImportError:
        return None
    summary = site_summary(days=days)
    for name in ("readers", "visitors"):
        value = getattr(summary, name, None)
        if value is not None:
            return int(value)
    return None


def gather(user, now=None) -> Glance:
    now = now or timezone.now()
    return Glance(
        **post_counts(user, now),
        **comment_counts(user),
        followers=follower_count(),
        readers=weekly_readers(),
    )
