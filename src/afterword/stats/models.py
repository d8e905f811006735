"""Daily counters: one row per day and thing counted, never one per reader.

A post's views are kept under the post (whatever its address was that day);
views of listing pages (home, a tag, a series...) under their path, which
only the site itself can name (see ``pages.py``). Referrers are kept as a
bare domain, per post or for the listings. Each kind of feed (the site's
RSS, a tag's Atom...) is one counter per day.

``post`` is nullable on the views and referrers, and SQL never treats two
NULLs as equal, so each table has two partial unique constraints instead
of one: with a post, and without.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class DailyPageViews(models.Model):
    day = models.DateField()
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, related_name="+", on_delete=models.CASCADE
    )
    # For listings only; a post's views are found by the post.
    path = models.CharField(max_length=200, blank=True, default="")
    views = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "post"],
                condition=Q(post__isnull=False),
                name="stats_post_views_once_a_day",
            ),
            models.UniqueConstraint(
                fields=["day", "path"],
                condition=Q(post__isnull=True),
                name="stats_listing_views_once_a_day",
            ),
        ]
        indexes = [models.Index(fields=["post", "day"], name="stats_views_post_day")]

    def __str__(self) -> str:
        return f"{self.day}: {self.post_id or self.path} × {self.views}"


class DailyReferrer(models.Model):
    day = models.DateField()
    post = models.ForeignKey(
        "posts.Post", null=True, blank=True, related_name="+", on_delete=models.CASCADE
    )
    # A bare host name ("news.example.org"); "" collects the domains past the
    # day's limit (``counting.MAX_REFERRERS_PER_DAY``).
    domain = models.CharField(max_length=253, blank=True, default="")
    views = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "post", "domain"],
                condition=Q(post__isnull=False),
                name="stats_post_referrer_once_a_day",
            ),
            models.UniqueConstraint(
                fields=["day", "domain"],
                condition=Q(post__isnull=True),
                name="stats_listing_referrer_once_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.domain or 'other'} × {self.views}"


class DailyFeedFetches(models.Model):
    day = models.DateField()
    # The feed's URL name, such as "feeds:rss" or "series:atom".
    feed = models.CharField(max_length=80)
    fetches = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "feed"], name="stats_feed_fetches_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.feed} × {self.fetches}"
