"""Every public page costs the same number of queries on a small site and on a
larger one (issue 15, must-show 3).

The site is built twice over through bulk inserts: first with a few posts,
comments, credits and series parts, then with many more of each, and every
page kind is asked for at both sizes with the page cache and fragments off
(tests/conftest.py), so the view runs in full. A page whose count grows has
an N+1 query or a listing that reads more than a page; a "last page" is the
last page at each size (page 2 of the small site, page 20 of the large one),
so an ``OFFSET`` that grows with the page number would not show here but the
boundaries that replace it would (``core.keyset``).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from afterword.catalog import queries as catalog_queries
from afterword.catalog.models import Credit, Person, PostWork, Role, Work
from afterword.discussion.models import Comment
from afterword.federation import views as federation_views
from afterword.feeds.sitemaps import SiteSitemap
from afterword.posts.models import Category, Post, Tag
from afterword.search.services import rebuild_index
from afterword.series.models import Series, SeriesPart
from tests.support.sitemaps import part_addresses

pytestmark = pytest.mark.django_db

PAGE_SIZE = 2
SMALL, LARGE = 3, 40


class Site:
    """A site grown through bulk inserts, as the large-site benchmark makes it."""

    def __init__(self, writer) -> None:
        self.writer = writer
        self.tag = Tag.objects.create(name="Common", slug="common")
        self.category = Category.objects.create(name="Films", slug="films")
        self.work = Work.objects.create(title="Busy film", slug="busy-film")
        self.person = Person.objects.create(name="Busy Director", slug="busy-director")
        self.role = Role.objects.filter(kind=Role.Kind.PERSON).first()
        self.series = Series.objects.create(title="A long series", slug="long-series")
        # Mid-month at noon: the posts, a minute apart, stay in one month
        # whatever the hour the tests run at (a month's last evening put
        # the later ones in the next month).
        self.start = (timezone.now() - timedelta(days=400)).replace(
            day=10, hour=12, minute=0, second=0, microsecond=0
        )
        self.posts = 0
        self.discussed = self.add_posts(1)[0]
        self.page = Post.objects.create(
            kind=Post.Kind.PAGE,
            title="About",
            slug="about",
            author=writer,
            body="About the site.",
            body_html="<p>About the site.</p>",
            status=Post.Status.PUBLISHED,
            published_at=self.start,
        )

    def add_posts(self, count: int) -> list[Post]:
        """``count`` posts, each tagged, filed, about the busy work and in the
        series, all in one month so the month archive grows with them."""
        made = Post.objects.bulk_create(
            Post(
                title=f"Common review {self.posts + i}",
                slug=f"common-review-{self.posts + i}",
                author=self.writer,
                body="A *common* word.",
                body_html="<p>A <em>common</em> word.</p>",
                summary="A common word.",
                status=Post.Status.PUBLISHED,
                published_at=self.start + timedelta(minutes=self.posts + i),
            )
            for i in range(count)
        )
        self.posts += count
        Post.tags.through.objects.bulk_create(
            Post.tags.through(post_id=post.pk, tag_id=self.tag.pk) for post in made
        )
        Post.categories.through.objects.bulk_create(
            Post.categories.through(post_id=post.pk, category_id=self.category.pk)
            for post in made
        )
        PostWork.objects.bulk_create(
            PostWork(post_id=post.pk, work_id=self.work.pk) for post in made
        )
        first = SeriesPart.objects.filter(series=self.series).count()
        SeriesPart.objects.bulk_create(
            SeriesPart(series=self.series, position=first + i + 1, post_id=post.pk)
            for i, post in enumerate(made)
        )
        return made

    def add_comments(self, count: int) -> None:
        """``count`` approved comments on one post, every other one a reply."""
        roots = Comment.objects.bulk_create(
            Comment(
                post=self.discussed,
                author_name=f"Reader {i}",
                body="Agreed.",
                body_html="<p>Agreed.</p>",
                status=Comment.Status.APPROVED,
            )
            for i in range(count - count // 2)
        )
        Comment.objects.bulk_create(
            Comment(
                post=self.discussed,
                parent=root,
                depth=1,
                author_name="Another reader",
                body="Not at all.",
                body_html="<p>Not at all.</p>",
                status=Comment.Status.APPROVED,
            )
            for root in roots[: count // 2]
        )

    def add_credits(self, count: int) -> None:
        """``count`` more works the busy person is credited on."""
        start = Work.objects.count()
        works = Work.objects.bulk_create(
            Work(title=f"Credited work {start + i}", slug=f"credited-{start + i}")
            for i in range(count)
        )
        Credit.objects.bulk_create(
            Credit(work=work, person=self.person, role=self.role) for work in works
        )

    def grow_to(self, size: int) -> None:
        self.add_posts(size - self.posts)
        self.add_comments(size - self.discussed.comments.count())
        self.add_credits(size - Credit.objects.filter(person=self.person).count())
        rebuild_index()

    def pages(self) -> dict[str, str]:
        """Each public page kind and its address at the current size."""
        last = -(-self.posts // PAGE_SIZE)
        work_last = -(-self.posts // catalog_queries.POSTS_PER_PAGE)
        month = timezone.localtime(self.discussed.published_at)
        sitemaps = {}
        for path in part_addresses(self.client):
            section = path.removeprefix("/sitemap-").removesuffix(".xml")
            section = section.rstrip("0123456789").rstrip("-")
            sitemaps.setdefault(f"sitemap {section}", path)
            sitemaps[f"sitemap {section}, last part"] = path
        outbox = "/ap/actors/writer/outbox"
        outbox_last = -(-self.posts // federation_views.PAGE_SIZE)
        return {
            "home": "/",
            "home, last page": f"/page/{last}/",
            "post with comments": self.discussed.get_absolute_url(),
            "page": self.page.get_absolute_url(),
            "tag": "/tag/common/",
            "tag, last page": f"/tag/common/?page={last}",
            "category": "/category/films/",
            "category, last page": f"/category/films/?page={last}",
            "author": "/author/writer/",
            "author, last page": f"/author/writer/?page={last}",
            "month": f"/{month.year}/{month.month:02d}/",
            "month, last page": f"/{month.year}/{month.month:02d}/?page={last}",
            "work": "/catalog/works/busy-film/",
            "work, last page": f"/catalog/works/busy-film/?page={work_last}",
            "person": "/catalog/people/busy-director/",
            "works index": "/catalog/works/",
            "people index": "/catalog/people/",
            "series": "/series/long-series/",
            "series index": "/series/",
            "search": "/search/?q=common",
            "search, last page": f"/search/?q=common&page={last}",
            "feed (RSS)": "/feed/",
            "feed (Atom)": "/feed/atom/",
            "tag feed": "/tag/common/feed/",
            "tag feed (Atom)": "/tag/common/feed/atom/",
            "category feed": "/category/films/feed/",
            "category feed (Atom)": "/category/films/feed/atom/",
            "work feed": "/catalog/works/busy-film/feed/",
            "work feed (Atom)": "/catalog/works/busy-film/feed/atom/",
            "person feed": "/catalog/people/busy-director/feed/",
            "person feed (Atom)": "/catalog/people/busy-director/feed/atom/",
            "series feed": "/series/long-series/feed/",
            "series feed (Atom)": "/series/long-series/feed/atom/",
            "comments feed": "/comments/feed/",
            "comments feed (Atom)": "/comments/feed/atom/",
            "post's comments feed": f"/comments/feed/{self.discussed.pk}/",
            "post's comments feed (Atom)": f"/comments/feed/{self.discussed.pk}/atom/",
            "sitemap index": "/sitemap.xml",
            **sitemaps,
            "fediverse outbox": outbox,
            "fediverse outbox, first page": f"{outbox}?page=1",
            "fediverse outbox, last page": f"{outbox}?page={outbox_last}",
            "robots.txt": "/robots.txt",
        }


# Listings whose pages are read by keyset: none may skip rows with OFFSET.
KEYSET_LISTINGS = (
    "home",
    "tag",
    "category",
    "author",
    "month",
    "work",
    "sitemap",
    "fediverse outbox",
)
# Ranked results have no keyset to start from (docs/scale.md).
OFFSET_ALLOWED = ("search",)


def count_queries(client, url: str) -> int:
    client.get(url)  # per-process caches (settings, the URL map) warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def offsets(client, url: str) -> list[str]:
    """The queries of ``url`` that skip rows with OFFSET."""
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return [q["sql"] for q in captured if " OFFSET " in q["sql"].upper()]


def test_every_public_page_costs_the_same_queries_at_both_sizes(
    client, writer, settings, monkeypatch
):
    settings.AFTERWORD_PAGE_SIZE = PAGE_SIZE
    monkeypatch.setattr(catalog_queries, "POSTS_PER_PAGE", PAGE_SIZE)
    monkeypatch.setattr(federation_views, "PAGE_SIZE", PAGE_SIZE)
    # Parts of a few addresses, so the large site's posts fill several.
    monkeypatch.setattr(SiteSitemap, "limit", 4)
    site = Site(writer)
    site.client = client
    site.grow_to(SMALL)
    small_pages = site.pages()
    small = {kind: count_queries(client, url) for kind, url in small_pages.items()}

    site.grow_to(LARGE)
    large_pages = site.pages()
    large = {kind: count_queries(client, url) for kind, url in large_pages.items()}

    assert large_pages["home, last page"] == f"/page/{LARGE // PAGE_SIZE}/"
    assert large_pages["sitemap posts, last part"] == "/sitemap-posts-10.xml"
    assert small_pages.keys() == large_pages.keys()
    offset_pages = {
        kind: sql
        for kind, url in large_pages.items()
        if not kind.startswith(OFFSET_ALLOWED) and (sql := offsets(client, url))
    }
    assert offset_pages == {}
    assert all(
        any(kind.startswith(listing) for kind in large_pages)
        for listing in KEYSET_LISTINGS
    )
    grown = {
        kind: (small[kind], large[kind]) for kind in small if small[kind] != large[kind]
    }
    assert grown == {}, "queries (small, large) of the pages whose count grew"
