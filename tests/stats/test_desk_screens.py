"""The desk's figures: who sees what, and what the screens print."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from afterword.accounts.actions import SetRole
from afterword.stats.models import DailyFeedFetches, DailyPageViews, DailyReferrer
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def writers(db):
    made = {}
    for role in ("contributor", "author", "editor", "administrator"):
        account = factories.UserFactory(username=role)
        SetRole(account, role).run()
        made[role] = account
    return made


@pytest.fixture
def figures(post_factory, writers):
    """Views over a few days for an author's post and an editor's post."""
    today = timezone.localdate()
    mine = post_factory(
        title="Author's Review", slug="authors", author=writers["author"]
    )
    theirs = post_factory(
        title="Editor's Review", slug="editors", author=writers["editor"]
    )
    for days_ago, post, views in [
        (0, mine, 4),
        (1, mine, 6),
        (0, theirs, 9),
        (8, mine, 5),
    ]:
        DailyPageViews.objects.create(
            day=today - timedelta(days=days_ago), post=post, views=views
        )
    DailyPageViews.objects.create(day=today, path="/", views=7)
    DailyReferrer.objects.create(
        day=today, post=mine, domain="news.example.org", views=3
    )
    DailyReferrer.objects.create(
        day=today, post=theirs, domain="secret.example", views=2
    )
    DailyFeedFetches.objects.create(day=today, feed="feeds:rss", fetches=11)
    return mine, theirs


def test_an_editor_sees_the_whole_site(client, writers, figures):
    client.force_login(writers["editor"])
    response = client.get(reverse("desk:stats"))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary.site_wide
    assert summary.views == 4 + 6 + 9 + 7
    assert summary.previous_views == 5
    assert [(row.label, row.count) for row in summary.top_posts] == [
        ("Author's Review", 10),
        ("Editor's Review", 9),
    ]
    assert {row.label: row.count for row in summary.top_referrers} == {
        "news.example.org": 3,
        "secret.example": 2,
    }
    assert summary.feed_fetches == 11
    assert [(row.label, row.count) for row in summary.top_listings] == [("/", 7)]
    text = response.content.decode()
    assert "secret.example" in text and "feeds:rss" in text
    assert [day.count for day in summary.daily_views][-2:] == [6, 4 + 9 + 7]
    assert summary.daily_views[-1].share == 100
    assert summary.daily_views[-2].share == 30


@pytest.mark.parametrize("role", ["author", "contributor"])
def test_authors_and_contributors_see_their_own_posts_only(
    client, writers, figures, role
):
    mine, theirs = figures
    client.force_login(writers[role])
    summary = client.get(reverse("desk:stats")).context["summary"]
    if role == "author":
        assert summary.views == 10
        assert [row.label for row in summary.top_posts] == ["Author's Review"]
        assert [row.label for row in summary.top_referrers] == ["news.example.org"]
    else:
        assert summary.views == 0 and summary.top_posts == []
    assert not summary.site_wide
    assert summary.feeds == [] and summary.follower_days == []
    other = client.get(reverse("desk:post_stats", args=[theirs.pk]))
    assert other.status_code == 403


def test_a_post_screen_shows_its_days_and_referrers(client, writers, figures):
    mine, _theirs = figures
    client.force_login(writers["author"])
    response = client.get(reverse("desk:post_stats", args=[mine.pk]), {"days": "7"})
    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary.days, summary.total, summary.all_time) == (7, 10, 15)
    assert [day.count for day in summary.daily_views] == [0, 0, 0, 0, 0, 6, 4]
    assert [(r.label, r.count) for r in summary.referrers] == [("news.example.org", 3)]
    assert "secret.example" not in response.content.decode()


def test_a_period_that_is_not_offered_falls_back(client, writers, figures):
    client.force_login(writers["editor"])
    for days in ("9999999", "-1", "abc", "30"):
        response = client.get(reverse("desk:stats"), {"days": days})
        assert response.status_code == 200
        assert response.context["summary"].days == (30 if days == "30" else 7)


def test_readers_and_strangers_are_kept_out(client, writers, figures):
    mine, _ = figures
    url = reverse("desk:stats")
    assert client.get(url).status_code == 302
    client.force_login(factories.UserFactory(username="reader"))
    assert client.get(url).status_code == 403
    assert client.get(reverse("desk:post_stats", args=[mine.pk])).status_code == 403
    client.force_login(writers["editor"])
    assert client.get(reverse("desk:post_stats", args=[99999])).status_code == 404
