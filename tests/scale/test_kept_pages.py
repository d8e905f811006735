"""Every public page kind reads the same from its kept parts as rendered afresh.

On a large site a page is mostly kept parts: fragments, the content memo, a
feed's entries (``feeds.kept``), a series' contents. Each page kind of the
query-count site is read twice with them on (the second read is served from
them) and once with them off, and the three must match byte for byte once
the per-response nonce and form token are set aside. Then a post published
through the admin is renamed in every kept feed and listing at once.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from afterword.posts.models import Post
from tests.scale.test_query_counts import PAGE_SIZE, SMALL, Site
from tests.support.adminforms import change

pytestmark = pytest.mark.django_db

PER_RESPONSE = re.compile(rb'nonce="[^"]*"|nonce-[^\']+|name="token" value="[^"]*"')
# A feed with no entries was last updated "now".
CLOCK = re.compile(rb"<(updated|lastBuildDate)>[^<]*</\1>")


def read(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    content = PER_RESPONSE.sub(b"", response.content)
    if b"<entry" not in content and b"<item>" not in content:
        content = CLOCK.sub(b"", content)
    return content


@pytest.fixture
def site(client, writer, settings):
    settings.AFTERWORD_PAGE_SIZE = PAGE_SIZE
    made = Site(writer)
    made.client = client
    made.grow_to(SMALL)
    return made


def test_every_page_kind_reads_the_same_kept_and_afresh(client, site, settings):
    pages = {
        kind: url
        for kind, url in site.pages().items()
        if not kind.startswith("fediverse")
    }
    settings.AFTERWORD_FRAGMENT_CACHE = True
    filled = {kind: read(client, url) for kind, url in pages.items()}
    kept = {kind: read(client, url) for kind, url in pages.items()}
    settings.AFTERWORD_FRAGMENT_CACHE = False
    fresh = {kind: read(client, url) for kind, url in pages.items()}
    assert [kind for kind in pages if kept[kind] != fresh[kind]] == []
    assert [kind for kind in pages if filled[kind] != fresh[kind]] == []


def test_a_post_renamed_in_the_admin_is_renamed_in_every_kept_feed_at_once(
    client, site, writer, settings, django_capture_on_commit_callbacks
):
    settings.AFTERWORD_FRAGMENT_CACHE = True
    feeds = ["/feed/", "/feed/atom/", "/tag/common/feed/", "/category/films/feed/"]
    for url in feeds:
        read(client, url)
    newest = Post.objects.filter(title__startswith="Common review").latest("pk")
    client.force_login(writer)
    address = reverse("admin:posts_post_change", args=[newest.pk])
    # Committed, as a request's transaction is: a new content version.
    with django_capture_on_commit_callbacks(execute=True):
        change(client, address, title="Renamed in the admin")
    client.logout()
    for url in feeds:
        assert b"Renamed in the admin" in read(client, url), url
    assert b"Renamed in the admin" in read(client, "/")


def test_kept_comment_entries_follow_the_scheme_asked_with(client, site, settings):
    """A comment's link is made absolute with the request's scheme: entries
    kept from an https request are not handed to an http one."""
    settings.AFTERWORD_FRAGMENT_CACHE = True
    url = "/comments/feed/"
    secure = client.get(url, secure=True).content
    kept = client.get(url).content
    settings.AFTERWORD_FRAGMENT_CACHE = False
    assert kept == client.get(url).content
    assert secure != kept


def test_a_kept_listing_page_reads_nothing(
    client, site, settings, django_assert_num_queries
):
    # A listing's subject (a tag), its boundaries and its cards are kept
    # for the content version, and its posts' query is built only when the
    # cards are rendered: a second read asks the database nothing.
    settings.AFTERWORD_FRAGMENT_CACHE = True
    pages = site.pages()
    kinds = ["home", "home, last page", "tag", "tag, last page", "category"]
    kinds += ["month", "month, last page"]
    # The sitemap: its index and every kind of part, posts' included.
    kinds += [kind for kind in pages if kind.startswith("sitemap")]
    for kind in kinds:
        read(client, pages[kind])
        with django_assert_num_queries(0):
            read(client, pages[kind])


def test_a_tag_renamed_or_deleted_in_the_admin_shows_on_its_kept_page(
    client, site, writer, settings, django_capture_on_commit_callbacks
):
    from afterword.posts.models import Tag

    settings.AFTERWORD_FRAGMENT_CACHE = True
    assert b"<h1>Tag: Common</h1>" in read(client, "/tag/common/")
    tag = Tag.objects.get(slug="common")
    client.force_login(writer)
    with django_capture_on_commit_callbacks(execute=True):
        change(
            client,
            reverse("admin:posts_tag_change", args=[tag.pk]),
            name="Common ground",
        )
    client.logout()
    assert b"<h1>Tag: Common ground</h1>" in read(client, "/tag/common/")
    client.force_login(writer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:posts_tag_delete", args=[tag.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    client.logout()
    assert client.get("/tag/common/").status_code == 404
