"""Numbered pages read by their boundaries show what OFFSET pages showed.

``/page/500/`` is an address readers and crawlers keep: reading it by keyset
(``core.keyset``) must list the same posts, in the same order, as slicing
the ordered listing did, ties in ``published_at`` and sticky posts included.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.paginator import Paginator
from django.utils import timezone

from afterword.core.keyset import KeysetPaginator
from afterword.posts.models import Post, Tag
from afterword.posts.views import listed_posts

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_posts(writer):
    """23 listed posts, several sharing a time, two sticky; and posts no
    listing names (a draft, an unlisted one, a future one)."""
    when = timezone.now() - timedelta(days=30)
    posts = Post.objects.bulk_create(
        Post(
            title=f"Post {i}",
            slug=f"post-{i}",
            author=writer,
            status=Post.Status.PUBLISHED,
            # Every third post shares its time with the one before it.
            published_at=when + timedelta(hours=i - i % 3),
            sticky=i in (4, 17),
        )
        for i in range(23)
    )
    Post.objects.bulk_create(
        [
            Post(title="Draft", slug="draft", author=writer),
            Post(
                title="Hidden",
                slug="hidden",
                author=writer,
                status=Post.Status.PUBLISHED,
                visibility=Post.Visibility.UNLISTED,
                published_at=when,
            ),
            Post(
                title="Later",
                slug="later",
                author=writer,
                status=Post.Status.SCHEDULED,
                published_at=timezone.now() + timedelta(days=1),
            ),
        ]
    )
    tag = Tag.objects.create(name="Half", slug="half")
    tag.posts.add(*posts[::2])
    return posts


@pytest.mark.parametrize(
    "ordering", [("-sticky", "-published_at", "-id"), ("-published_at", "-id")]
)
@pytest.mark.parametrize("per_page", [1, 4, 5, 23, 50])
def test_every_page_holds_the_posts_of_its_offset_page(many_posts, ordering, per_page):
    listing = listed_posts().order_by(*ordering)
    keyset = KeysetPaginator(listing, per_page)
    offset = Paginator(listing, per_page)

    assert keyset.count == offset.count == 23
    assert keyset.num_pages == offset.num_pages
    for number in offset.page_range:
        expected = [post.pk for post in offset.page(number)]
        assert [post.pk for post in keyset.page(number)] == expected, number


def test_a_tags_last_page_and_the_home_pages_are_those_of_before(
    client, many_posts, settings
):
    settings.AFTERWORD_PAGE_SIZE = 4
    tagged = sorted(
        (p for p in many_posts[::2]), key=lambda p: (p.published_at, p.pk), reverse=True
    )
    last = client.get("/tag/half/?page=3")
    assert [p.pk for p in last.context["posts"]] == [p.pk for p in tagged[8:]]
    assert client.get("/tag/half/?page=4").status_code == 404

    home = sorted(
        many_posts, key=lambda p: (p.sticky, p.published_at, p.pk), reverse=True
    )
    page_two = client.get("/page/2/")
    assert [p.pk for p in page_two.context["posts"]] == [p.pk for p in home[4:8]]
    assert page_two.context["paginator"].count == 23
    assert client.get("/page/6/").status_code == 200
    assert client.get("/page/7/").status_code == 404


def test_an_empty_listing_has_one_empty_page(db):
    paginator = KeysetPaginator(listed_posts().order_by("-published_at", "-id"), 10)
    assert paginator.count == 0
    assert list(paginator.page(1)) == []


def test_boundaries_are_read_once_per_content_version(
    client, many_posts, settings, monkeypatch
):
    from afterword.core import keyset
    from afterword.pagecache.state import new_version

    settings.AFTERWORD_FRAGMENT_CACHE = True
    settings.AFTERWORD_PAGE_SIZE = 4
    reads = []
    read = keyset.boundaries
    monkeypatch.setattr(
        keyset, "boundaries", lambda *args: reads.append(args) or read(*args)
    )

    for address in ("/", "/page/2/", "/page/6/", "/page/3/"):
        assert client.get(address).status_code == 200
    assert len(reads) == 1
    assert client.get("/tag/half/?page=2").status_code == 200
    assert len(reads) == 2  # another listing, its own boundaries

    new_version()  # what any committed public change does
    assert client.get("/page/2/").status_code == 200
    assert len(reads) == 3
