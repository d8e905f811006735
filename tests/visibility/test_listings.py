"""Which listings name a post of each visibility (``posts.models.listed_condition``).

Public and password-protected posts are listed (a protected one by its
title, with a notice instead of its text); unlisted and private ones are in
no listing, feed, sitemap or search result.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from afterword.posts.models import Post
from tests.support.sitemaps import sitemap_text

from .conftest import SECRET

LISTED = {
    "public": True,
    "password": True,
    "unlisted": False,
    "private": False,
}


def listing_urls(post: Post) -> dict[str, str]:
    return {
        "home": reverse("posts:home"),
        "tag": reverse("posts:tag", kwargs={"slug": "harbours"}),
        "author": reverse("posts:author", kwargs={"username": post.author.username}),
        "month": post.get_absolute_url().rsplit("/", 2)[0] + "/",
        "feed": reverse("feeds:rss"),
        "atom": reverse("feeds:atom"),
        "tag feed": reverse("feeds:tag-rss", kwargs={"slug": "harbours"}),
        "search": reverse("search:results") + "?q=harbour",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("visibility", list(LISTED))
def test_each_listing_names_only_listed_posts(client, make, visibility):
    # A public post keeps the author's page and the month archive alive, so
    # a missing post shows as missing, not as a 404 of the whole listing.
    make("public", slug="anchor", title="The anchor harbour", body="Plain.")
    post = make(visibility)
    for kind, url in listing_urls(post).items():
        response = client.get(url)
        assert response.status_code == 200, kind
        text = response.content.decode()
        assert "The anchor harbour" in text, kind
        assert (post.title in text) is LISTED[visibility], kind
        if visibility != "public":
            assert SECRET not in text, kind


@pytest.mark.django_db
@pytest.mark.parametrize("visibility", list(LISTED))
def test_sitemap_holds_only_public_posts(client, make, visibility):
    post = make(visibility)
    text = sitemap_text(client)
    # Password-protected posts are left out too, as WordPress does: their
    # page is only a form.
    assert (post.get_absolute_url() in text) is (visibility == "public")


@pytest.mark.django_db
def test_neighbours_skip_unlisted_and_private_posts(client, make):
    from datetime import timedelta

    from django.utils import timezone

    hour = timedelta(hours=1)
    now = timezone.now()
    older = make("public", slug="older", published_at=now - 4 * hour, title="Old")
    make("unlisted", published_at=now - 3 * hour)
    make("private", published_at=now - 2 * hour)
    newer = make("public", slug="newer", published_at=now - hour, title="New")
    text = client.get(newer.get_absolute_url()).content.decode()
    assert f'href="{older.get_absolute_url()}" rel="prev"' in text
    assert "The unlisted harbour" not in text
    assert "The private harbour" not in text


@pytest.mark.django_db
def test_protected_post_is_listed_with_a_notice_instead_of_its_text(client, make):
    make("password")
    for url in (reverse("posts:home"), reverse("feeds:rss"), reverse("feeds:atom")):
        text = client.get(url).content.decode()
        assert "The password harbour" in text
        assert "This post is password protected." in text
        assert SECRET not in text
        assert "The password text" not in text


@pytest.mark.django_db
def test_search_finds_a_protected_post_by_title_but_not_by_its_text(client, make):
    make("password")
    by_title = client.get(reverse("search:results"), {"q": "password harbour"})
    assert "The password harbour" in by_title.content.decode()
    assert SECRET not in by_title.content.decode()
    by_text = client.get(reverse("search:results"), {"q": "Zanzibar lighthouse"})
    assert "The password harbour" not in by_text.content.decode()


@pytest.mark.django_db
def test_a_post_made_unlisted_leaves_the_listings(client, make, author):
    from tests.factories import save

    post = make("public")
    assert post.title in client.get(reverse("posts:home")).content.decode()
    post.visibility = Post.Visibility.UNLISTED
    save(post)
    assert post.title not in client.get(reverse("posts:home")).content.decode()
    assert post.title not in client.get(reverse("feeds:rss")).content.decode()
    assert client.get(post.get_absolute_url()).status_code == 200
