"""The beacon endpoint counts views of real pages and nothing else."""

from __future__ import annotations

import pytest
from django.core import signing
from django.utils import timezone

from afterword.posts.models import Post
from afterword.stats.models import DailyPageViews, DailyReferrer
from afterword.stats.pages import SALT
from tests import factories

from .conftest import beacon, page_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(post_factory):
    return post_factory(title="Night Train", slug="night-train")


def views_of(post) -> int:
    return sum(DailyPageViews.objects.filter(post=post).values_list("views", flat=True))


def test_a_post_page_view_is_counted_under_the_post(client, post):
    token = page_token(client, post.get_absolute_url())
    for _ in range(3):
        response = beacon(client, {"page": token})
        assert response.status_code == 204
        assert response.content == b""
    row = DailyPageViews.objects.get()
    assert (row.post_id, row.path, row.views) == (post.pk, "", 3)
    assert row.day == timezone.localdate()


def test_a_listing_is_counted_under_its_path(client, post):
    tag = factories.TagFactory(name="Rail", slug="rail")
    post.tags.add(tag)
    for path in ("/", "/tag/rail/"):
        assert beacon(client, {"page": page_token(client, path)}).status_code == 204
    assert sorted(DailyPageViews.objects.values_list("post_id", "path", "views")) == [
        (None, "/", 1),
        (None, "/tag/rail/", 1),
    ]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"page": ""},
        {"page": "post:1"},
        {"page": "post:1:forged-signature"},
        {"page": signing.Signer(salt="another.purpose").sign("post:1")},
        {"page": signing.Signer(salt=SALT).sign("path:no-slash")},
        {"page": "x" * 5000},
    ],
)
def test_junk_is_refused_without_writing(client, post, data):
    assert beacon(client, data).status_code == 400
    assert not DailyPageViews.objects.exists()
    assert not DailyReferrer.objects.exists()


@pytest.mark.parametrize(
    "ref",
    [
        "not a domain",
        "exa_mple.org",
        "a..b",
        "-x.org",
        "https://news.example.org/",
        "news.example.org/path?q=1",
        "x" * 300,
    ],
)
def test_a_malformed_referrer_is_refused_without_writing(client, post, ref):
    token = page_token(client, post.get_absolute_url())
    assert beacon(client, {"page": token, "ref": ref}).status_code == 400
    assert not DailyPageViews.objects.exists()


def test_a_large_or_odd_body_is_refused(client, post):
    token = page_token(client, post.get_absolute_url())
    big = beacon(client, {"page": token, "pad": "x" * 5000})
    assert big.status_code == 400
    odd = client.generic(
        "POST",
        "/stats/hit",
        f"page={token}",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH="12a",
    )
    assert odd.status_code == 400
    assert not DailyPageViews.objects.exists()


def test_only_post_is_accepted(client, post):
    token = page_token(client, post.get_absolute_url())
    assert client.get("/stats/hit", {"page": token}).status_code == 405
    assert not DailyPageViews.objects.exists()


def test_a_post_that_is_not_live_is_not_counted(client, post):
    token = page_token(client, post.get_absolute_url())
    Post.objects.filter(pk=post.pk).update(status=Post.Status.DRAFT)
    assert beacon(client, {"page": token}).status_code == 204
    assert not DailyPageViews.objects.exists()


def test_an_unknown_post_makes_no_row(client, db):
    """Even a correctly signed id counts only if the post exists and is live."""
    token = signing.Signer(salt=SALT).sign("post:987654")
    assert beacon(client, {"page": token}).status_code == 204
    assert not DailyPageViews.objects.exists()
    assert not DailyReferrer.objects.exists()


def test_a_missing_page_gets_no_token(client, db):
    """A 404 of a listing address (a tag that does not exist) is not counted."""
    response = client.get("/tag/no-such-tag/")
    assert response.status_code == 404
    assert 'data-stats-page=""' in response.content.decode()


def test_a_search_page_gets_no_token(client, post):
    response = client.get("/search/", {"q": "train"})
    assert response.status_code == 200
    assert 'data-stats-page=""' in response.content.decode()


def test_the_referrer_is_kept_as_a_bare_domain(client, post):
    token = page_token(client, post.get_absolute_url())
    for ref in ("News.Example.org", "www.news.example.org", "news.example.org."):
        assert beacon(client, {"page": token, "ref": ref}).status_code == 204
    row = DailyReferrer.objects.get()
    assert (row.post_id, row.domain, row.views) == (post.pk, "news.example.org", 3)


def test_the_beacon_script_sends_the_domain_only(client, post):
    """What leaves the browser: beacon.js reads the referrer's host name, so a
    path or query (a search term, a private link) never reaches the site."""
    script = client.get("/static/stats/beacon.js")
    source = b"".join(script.streaming_content).decode()
    assert "new URL(document.referrer).hostname" in source
    # Read once for the check that there is one, once for its host name.
    assert source.count("document.referrer") == 2


def test_an_own_host_referrer_is_ignored(client, post, settings):
    settings.SITE_URL = "https://reviews.example.org"
    token = page_token(client, post.get_absolute_url())
    for ref in ("testserver", "reviews.example.org", "www.reviews.example.org"):
        assert beacon(client, {"page": token, "ref": ref}).status_code == 204
    assert views_of(post) == 3
    assert not DailyReferrer.objects.exists()


def test_declared_robots_are_not_counted(client, post):
    token = page_token(client, post.get_absolute_url())
    for agent in (
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "some-crawler/1.0",
    ):
        response = beacon(client, {"page": token}, HTTP_USER_AGENT=agent)
        assert response.status_code == 204
    assert not DailyPageViews.objects.exists()
    beacon(client, {"page": token}, HTTP_USER_AGENT="Mozilla/5.0 (X11) Firefox/133.0")
    assert views_of(post) == 1


def test_another_sites_page_cannot_count(client, post):
    token = page_token(client, post.get_absolute_url())
    response = beacon(client, {"page": token}, HTTP_ORIGIN="https://elsewhere.example")
    assert response.status_code == 400
    assert (
        beacon(client, {"page": token}, HTTP_ORIGIN="http://testserver").status_code
        == 204
    )
    assert views_of(post) == 1


def test_a_flood_from_one_client_is_capped(client, post, settings):
    settings.AFTERWORD_STATS_HITS_PER_MINUTE = 5
    token = page_token(client, post.get_absolute_url())
    answers = [beacon(client, {"page": token}).status_code for _ in range(8)]
    assert answers == [204] * 5 + [429] * 3
    assert views_of(post) == 5
    other = beacon(client, {"page": token}, REMOTE_ADDR="192.0.2.44")
    assert other.status_code == 204
    assert views_of(post) == 6


def test_referring_domains_are_capped_per_day(client, post):
    from afterword.stats import counting

    token = page_token(client, post.get_absolute_url())
    for n in range(counting.MAX_REFERRERS_PER_DAY + 3):
        beacon(
            client,
            {"page": token, "ref": f"site{n}.example"},
            REMOTE_ADDR=f"10.0.{n // 100}.{n % 100}",
        )
    assert DailyReferrer.objects.count() == counting.MAX_REFERRERS_PER_DAY + 1
    assert DailyReferrer.objects.get(domain="").views == 3
    assert views_of(post) == counting.MAX_REFERRERS_PER_DAY + 3
