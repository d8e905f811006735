"""Feed fetches are counted even when the page cache answers them; follower
growth comes from the subscriptions app's own dates."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from afterword.stats import feedcounts, queries
from afterword.stats.models import DailyFeedFetches
from afterword.subscriptions.models import Follow, Subscriber

pytestmark = pytest.mark.django_db


def fetches() -> dict[str, int]:
    return dict(DailyFeedFetches.objects.values_list("feed", "fetches"))


def test_feed_fetches_are_counted_from_the_page_cache_too(
    client, post_factory, settings
):
    settings.AFTERWORD_PAGE_CACHE = True
    post_factory(title="Harbour", slug="harbour")
    sources = []
    for _ in range(3):
        response = client.get("/feed/")
        assert response.status_code == 200
        sources.append(response.headers.get("X-Page-Cache"))
    etag = response.headers["ETag"]
    assert client.get("/feed/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/feed/atom/").status_code == 200
    assert sources == ["miss", "hit", "hit"]
    assert fetches() == {"feeds:rss": 4, "feeds:atom": 1}


def test_fetches_are_written_a_few_seconds_at_a_time(client, post_factory, settings):
    settings.AFTERWORD_STATS_FLUSH_SECONDS = 1
    post_factory(title="Harbour", slug="harbour")
    feedcounts.pending.flush()  # a write just now: the next fetches wait
    try:
        for _ in range(3):
            assert client.get("/feed/").status_code == 200
        assert client.get("/feed/atom/").status_code == 200
        assert fetches() == {}
        time.sleep(1.1)
        # The first fetch after the delay writes what this process added up.
        assert client.get("/feed/").status_code == 200
        assert fetches() == {"feeds:rss": 4, "feeds:atom": 1}
        assert client.get("/feed/").status_code == 200
        assert fetches() == {"feeds:rss": 4, "feeds:atom": 1}
    finally:
        # What a process that exits does (``atexit``): nothing is left behind.
        feedcounts.pending.flush()
    assert fetches() == {"feeds:rss": 5, "feeds:atom": 1}


def test_failed_and_invented_feed_addresses_are_not_counted(client, post_factory):
    post_factory(title="Harbour", slug="harbour")
    assert client.get("/tag/no-such-tag/feed/").status_code == 404
    assert client.get("/feed/nothing/").status_code == 404
    assert client.head("/feed/").status_code == 200
    assert client.post("/feed/").status_code in (200, 405)
    assert fetches() == {}


def test_the_site_summary_counts_followers_by_creation_day():
    now = timezone.now()
    today = timezone.localdate()

    def subscriber(email, days_ago, **extra):
        return Subscriber.objects.create(
            email=email,
            created_at=now - timedelta(days=days_ago),
            confirmed_at=now - timedelta(days=days_ago),
            **extra,
        )

    ann = subscriber("ann@example.test", 0)
    bob = subscriber("bob@example.test", 2)
    subscriber("cy@example.test", 20)
    subscriber("gone@example.test", 1, unsubscribed_at=now)
    for who, target, days_ago in [
        (ann, "site", 0),
        (ann, "tag:1", 0),
        (bob, "site", 2),
    ]:
        Follow.objects.create(
            subscriber=who,
            target=target,
            created_at=now - timedelta(days=days_ago),
            confirmed_at=now,
        )
    summary = queries.site_summary(7)
    by_day = {row.day: (row.subscribers, row.follows) for row in summary.follower_days}
    assert len(by_day) == 7
    assert by_day[today] == (1, 2)
    assert by_day[today - timedelta(days=1)] == (1, 0)
    assert by_day[today - timedelta(days=2)] == (1, 1)
    assert sum(s for s, _ in by_day.values()) == 3
    assert (summary.subscribers, summary.follows) == (3, 3)
