"""The home's figures: one aggregate query per model, whatever the site's size.

Posts are counted with conditional aggregation (``Count(..., filter=Q(...))``)
in a single query; comments and followers, the tables that reach a million
rows, with counts that stop at ``core.counting.CAP`` ("10,000+"). This week's
page views come from the statistics app (``stats.queries.site_summary``),
scoped to the writer's own posts for contributors and authors; views, not
"readers", because counting people would mean tracking them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from afterword.core.counting import capped_counts
from afterword.discussion.models import Comment
from afterword.posts.models import Post, live_condition
from afterword.stats.queries import site_summary
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
    views_this_week: int


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
    """Approved and held comments, each counted up to ``counting.CAP``: a
    million comments would otherwise be read on every visit to the desk."""
    comments = scope.comments_for(user, Comment.objects.all())
    return capped_counts(
        {
            "comments_approved": comments.filter(status=Comment.Status.APPROVED),
            "comments_held": comments.filter(status=Comment.Status.PENDING),
        }
    )


def follower_count() -> int:
    """Addresses that confirmed and have not unsubscribed (up to the cap)."""
    confirmed = Subscriber.objects.filter(
        confirmed_at__isnull=False, unsubscribed_at__isnull=True
    )
    return capped_counts({"followers": confirmed})["followers"]


def weekly_views(user, days: int = READERS_DAYS) -> int:
    """Page views over the last ``days`` that ``user`` may see figures of."""
    return site_summary(days=days, user=user).views


def gather(user, now=None) -> Glance:
    now = now or timezone.now()
    return Glance(
        **post_counts(user, now),
        **comment_counts(user),
        followers=follower_count(),
        views_this_week=weekly_views(user),
    )
