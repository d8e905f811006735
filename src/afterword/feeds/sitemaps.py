"""The sitemap: posts, pages, tags, categories, authors and the home page.

``/sitemap.xml`` is a sitemap index naming one part per section
(``/sitemap-posts.xml``), and further parts of a section past 2,000
addresses (``/sitemap-posts-2.xml``), as WordPress's own sitemaps do. The
protocol allows 50,000, but a part that large is 8.5 MB written in 1.6 s of
CPU, on every request and in every static build after one edit (the edited
post's ``lastmod`` is in it). The posts' parts are read by their boundaries
(``core.keyset``), so the last part of a 100,000-post site costs what the
first does.

Addresses are built from ``settings.SITE_URL`` (not ``django.contrib.sites``)
so the sitemap names the same host as the pages and feeds.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse

from afterword.core import memo
from afterword.core.keyset import KeysetPaginator
from afterword.posts.authors import public_authors
from afterword.posts.models import (
    Category,
    Post,
    Tag,
    listed_condition,
    post_address,
    through_relation,
)


class SiteSitemap(Sitemap):
    """A sitemap whose URLs use the site's configured address."""

    # At most this many addresses in one part (WordPress's number; the
    # protocol's limit is 50,000).
    limit = 2_000

    def part_count(self) -> int:
        """How many parts the index names for this section."""
        return self.paginator.num_pages

    def get_latest_lastmod(self):
        # Django's default reads every item; the index names no dates.
        return None

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None) -> str:
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc + parts.path.rstrip("/")


def _live_condition() -> Q:
    """Listed posts, less password-protected ones (whose page is only a
    form, as WordPress leaves them out of its sitemaps)."""
    return Q(kind=Post.Kind.POST, visibility=Post.Visibility.PUBLIC) & (
        listed_condition()
    )


def _live_posts():
    return Post.objects.filter(_live_condition())


class HomeSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self) -> list[str]:
        return ["posts:home"]

    def location(self, item: str) -> str:
        return reverse(item)

    def lastmod(self, item: str):
        return _live_posts().aggregate(latest=Max("updated_at"))["latest"]


class PostSitemap(SiteSitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return (
            _live_posts()
            .order_by("-published_at", "-id")
            .only("kind", "slug", "published_at", "created_at", "updated_at")
        )

    @property
    def paginator(self) -> KeysetPaginator:
        return KeysetPaginator(self._items(), self.limit, key="sitemap-posts")

    def lastmod(self, item: Post):
        return max(item.updated_at, item.published_at)

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        """Django's entries, from the rows' values: a model instance and four
        method lookups for each of a part's 2,000 posts cost 27 µs each, a
        third of the part's time."""
        base = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        rows = self.paginator.page(page).object_list.values_list(
            "kind", "slug", "published_at", "created_at", "updated_at"
        )
        priority = str(self.priority)
        urls = []
        for kind, slug, published_at, created_at, updated_at in rows:
            urls.append(
                {
                    "location": base
                    + post_address(kind, slug, published_at, created_at),
                    "lastmod": max(updated_at, published_at),
                    "changefreq": self.changefreq,
                    "priority": priority,
                    "alternates": [],
                }
            )
        return urls


class PageSitemap(SiteSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return (
            Post.objects.pages()
            .listed()
            .filter(visibility=Post.Visibility.PUBLIC)
            .order_by("slug")
        )

    def lastmod(self, item: Post):
        return item.updated_at


class TermSitemap(SiteSitemap):
    """Tags, categories or authors: the rows of ``candidates()`` with a live
    public post (``relation`` names the post's field that points at them).

    No ``lastmod``, as WordPress's own sitemaps give none for terms and
    authors: a term's newest change is the newest of all its posts', which
    reads every post of every term (2 s for the tags of a 100,000-post
    site), while finding that a term has one live post stops at the first.
    """

    changefreq = "weekly"
    priority = 0.4
    model: type[Tag | Category] = Tag
    relation = "tags"
    order = "slug"

    def candidates(self):
        return self.model.objects.all()

    def items(self):
        return self.candidates().filter(self.with_post()).order_by(self.order)

    def with_post(self) -> Q:
        """The row has a live public post (``_live_condition``)."""
        live = _live_condition()
        if self.relation == "author":
            return Q(Exists(Post.objects.filter(live, author=OuterRef("pk"))))
        # From the term's side: its links in order, each post checked by
        # its key. Asked from the posts' side, SQLite walked every post in
        # date order for each term: 30 s for 5,000 tags.
        field = getattr(Post, self.relation).field
        links = field.remote_field.through.objects.filter(
            **{field.m2m_reverse_field_name(): OuterRef("pk")}
        )
        return Q(Exists(links.filter(through_relation(live, field.m2m_field_name()))))

    def part_count(self) -> int:
        # Rows with a live post are at most all the rows: up to the limit
        # that is one part, known without looking for their posts.
        if self.candidates()[: self.limit + 1].count() <= self.limit:
            return 1
        return super().part_count()


class TagSitemap(TermSitemap):
    """Tags with a live public post (the defaults of ``TermSitemap``)."""


class CategorySitemap(TermSitemap):
    model, relation = Category, "categories"


class AuthorSitemap(TermSitemap):
    priority = 0.3
    relation, order = "author", "username"

    def candidates(self):
        return public_authors()


SITEMAPS = {
    "home": HomeSitemap,
    "posts": PostSitemap,
    "pages": PageSitemap,
    "tags": TagSitemap,
    "categories": CategorySitemap,
    "authors": AuthorSitemap,
}


def parts() -> list[tuple[str, int]]:
    """Every part of the sitemap: (section, page number), in the index's order.

    Counted once per content version (``core.memo``): the parts follow the
    content alone, and counting every post and tag was the index's time,
    growing with the site (5 ms at 100,000 posts, 3 ms at 2,000).
    """
    return memo.remember("sitemap-parts", _count_parts)


def _count_parts() -> list[tuple[str, int]]:
    found = []
    for section, sitemap in SITEMAPS.items():
        found += [(section, page) for page in range(1, sitemap().part_count() + 1)]
    return found


def part_path(section: str, page: int) -> str:
    if page == 1:
        return reverse("feeds:sitemap-part", kwargs={"section": section})
    return reverse("feeds:sitemap-part-n", kwargs={"section": section, "page": page})
