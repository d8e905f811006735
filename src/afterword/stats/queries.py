"""The figures the desk shows, read from the daily counters.

``site_summary`` is the site's week (or any number of days) and
``post_summary`` one post's month; both return dataclasses whose lists are
ready to print (each day has its share of the busiest day, for the bars).
A writer who may not edit others' posts (contributors, authors) sees only
their own posts: pass ``user`` and the site-wide figures (listing pages,
feeds, followers) are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from afterword.posts.models import Post
from afterword.subscriptions.models import Follow, Subscriber

from .counting import today
from .models import DailyFeedFetches, DailyPageViews, DailyReferrer

TOP = 10


@dataclass(frozen=True)
class Day:
    day: date
    count: int
    # Rounded to 5 %, a step the stylesheet has a width for.
    share: int = 0


@dataclass(frozen=True)
class Ranked:
    """A post, a referring domain or a feed with its count."""

    label: str
    count: int
    post: Post | None = None


@dataclass(frozen=True)
class FollowerDay:
    day: date
    subscribers: int
    follows: int


@dataclass
class SiteSummary:
    days: int
    start: date
    end: date
    views: int
    previous_views: int
    daily_views: list[Day]
    top_posts: list[Ranked]
    top_referrers: list[Ranked]
    # Site-wide figures; empty for a writer who sees only their own posts.
    site_wide: bool = True
    top_listings: list[Ranked] = field(default_factory=list)
    feed_fetches: int = 0
    feeds: list[Ranked] = field(default_factory=list)
    follower_days: list[FollowerDay] = field(default_factory=list)
    subscribers: int = 0
    follows: int = 0

    @property
    def change(self) -> int | None:
        """Views against the previous period, in per cent (None: none then)."""
        if not self.previous_views:
            return None
        return round((self.views - self.previous_views) * 100 / self.previous_views)


@dataclass
class PostSummary:
    post: Post
    days: int
    start: date
    end: date
    daily_views: list[Day]
    total: int
    all_time: int
    referrers: list[Ranked]


def sees_every_post(user) -> bool:
    return user is None or user.has_perm("posts.edit_others_posts")


def period(days: int, end: date | None = None) -> tuple[date, date]:
    end = end or today()
    return end - timedelta(days=days - 1), end


def by_day(rows, start: date, end: date) -> list[Day]:
    """Every day from ``start`` to ``end``, with 0 where nothing was counted."""
    counts = {row["day"]: row["count"] for row in rows}
    span = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    peak = max(counts.values(), default=0)
    return [
        Day(
            day,
            counts.get(day, 0),
            round(counts.get(day, 0) * 20 / peak) * 5 if peak else 0,
        )
        for day in span
    ]


def _referrers(rows) -> list[Ranked]:
    ranked = rows.values("domain").annotate(count=Sum("views")).order_by("-count")
    return [Ranked(row["domain"], row["count"]) for row in ranked[:TOP]]


def site_summary(days: int = 7, *, user=None) -> SiteSummary:
    """The last ``days`` days of the site (or of ``user``'s own posts)."""
    days = max(1, days)
    start, end = period(days)
    views = DailyPageViews.objects.all()
    referrers = DailyReferrer.objects.all()
    every_post = sees_every_post(user)
    if not every_post:
        views = views.filter(post__author=user)
        referrers = referrers.filter(post__author=user)
    current = views.filter(day__range=(start, end))
    daily = list(current.values("day").annotate(count=Sum("views")))
    previous = views.filter(
        day__range=(start - timedelta(days=days), start - timedelta(days=1))
    ).aggregate(total=Sum("views"))["total"]
    top = (
        current.filter(post__isnull=False)
        .values("post")
        .annotate(count=Sum("views"))
        .order_by("-count", "post")[:TOP]
    )
    posts = Post.objects.in_bulk([row["post"] for row in top])
    summary = SiteSummary(
        days=days,
        start=start,
        end=end,
        views=sum(row["count"] for row in daily),
        previous_views=previous or 0,
        daily_views=by_day(daily, start, end),
        top_posts=[
            Ranked(posts[row["post"]].title, row["count"], posts[row["post"]])
            for row in top
            if row["post"] in posts
        ],
        top_referrers=_referrers(referrers.filter(day__range=(start, end))),
        site_wide=every_post,
    )
    if every_post:
        _add_site_wide(summary, current, start, end)
    return summary


def _add_site_wide(summary: SiteSummary, current, start: date, end: date) -> None:
    listings = (
        current.filter(post__isnull=True)
        .values("path")
        .annotate(count=Sum("views"))
        .order_by("-count", "path")[:TOP]
    )
    summary.top_listings = [Ranked(row["path"], row["count"]) for row in listings]
    feeds = (
        DailyFeedFetches.objects.filter(day__range=(start, end))
        .values("feed")
        .annotate(count=Sum("fetches"))
        .order_by("-count", "feed")
    )
    summary.feeds = [Ranked(row["feed"], row["count"]) for row in feeds]
    summary.feed_fetches = sum(feed.count for feed in summary.feeds)
    summary.follower_days = follower_days(start, end)
    summary.subscribers = Subscriber.objects.filter(
        confirmed_at__isnull=False, unsubscribed_at__isnull=True
    ).count()
    summary.follows = Follow.objects.filter(
        confirmed_at__isnull=False,
        subscriber__confirmed_at__isnull=False,
        subscriber__unsubscribed_at__isnull=True,
    ).count()


def _created_by_day(model, start: date, end: date) -> dict[date, int]:
    tz = timezone.get_current_timezone()
    rows = (
        model.objects.annotate(day=TruncDate("created_at", tzinfo=tz))
        .filter(day__range=(start, end))
        .values("day")
        .annotate(count=Count("pk"))
    )
    return {row["day"]: row["count"] for row in rows}


def follower_days(start: date, end: date) -> list[FollowerDay]:
    """New subscribers (addresses) and new follows each day, by their
    creation date: the subscriptions app's own dates, nothing counted apart."""
    subscribers = _created_by_day(Subscriber, start, end)
    follows = _created_by_day(Follow, start, end)
    return [
        FollowerDay(day, subscribers.get(day, 0), follows.get(day, 0))
        for day in (start + timedelta(days=n) for n in range((end - start).days + 1))
    ]


def post_summary(post: Post, days: int = 30) -> PostSummary:
    """One post's daily views over the last ``days`` days, and its referrers."""
    days = max(1, days)
    start, end = period(days)
    views = DailyPageViews.objects.filter(post=post)
    daily = list(
        views.filter(day__range=(start, end)).values("day").annotate(count=Sum("views"))
    )
    return PostSummary(
        post=post,
        days=days,
        start=start,
        end=end,
        daily_views=by_day(daily, start, end),
        total=sum(row["count"] for row in daily),
        all_time=views.aggregate(total=Sum("views"))["total"] or 0,
        referrers=_referrers(
            DailyReferrer.objects.filter(post=post, day__range=(start, end))
        ),
    )
