"""RSS 2.0 and Atom feeds of posts: the whole site, one tag, one category.

Each feed carries the newest ``FEED_SIZE`` live posts with their full HTML
(``content:encoded`` in RSS, ``<content type="html">`` in Atom), every URL
made absolute against ``settings.SITE_URL``, and the spoiler-free summary as
the description. The full HTML is the post's ``feed_html``, stored at save
time beside the page's: the same body with each spoiler block replaced by a
notice ("Spoiler (…) hidden: read it on the site") linking to that spoiler
on the post's page, since a feed reader shows everything at once and has no
way to keep a spoiler closed. Feeds never render Markdown. One feed costs a
fixed handful of queries whatever its length, and its entries are written
once per content version (``kept``).

Links are built from ``SITE_URL`` rather than ``django.contrib.sites`` so
feeds name the same host as every other page of the site.
"""

from __future__ import annotations

import copy
import io
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from afterword.posts.linked import linked_posts
from afterword.posts.models import Category, Post, Tag

from .absolute import absolutize, site_url
from .attributes import KnownArguments
from .kept import EntriesWriter, KeepsEntries

FEED_SIZE = 20


class WrittenAtOnce:
    """A feed generator that hands its response the whole document at once.

    Django's generators write each tag and each piece of text to the
    response as it goes (some 1,000 writes for a feed of 20 posts, each
    encoded and appended on its own): about a twentieth of the feed's time.
    """

    def write(self, outfile, encoding) -> None:
        buffer = io.StringIO()
        super().write(buffer, encoding)
        outfile.write(buffer.getvalue())


class ContentRssFeed(EntriesWriter, WrittenAtOnce, Rss201rev2Feed):
    """RSS 2.0 with the full post in ``content:encoded``."""

    def rss_attributes(self) -> dict:
        attributes = super().rss_attributes()
        attributes["xmlns:content"] = "http://purl.org/rss/1.0/modules/content/"
        return attributes

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content_html"])


class ContentAtomFeed(EntriesWriter, WrittenAtOnce, Atom1Feed):
    """Atom with the full post as HTML content."""

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


def post_guid(post: Post) -> str:
    """A ``tag:`` URI that survives slug and date changes (RFC 4151)."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"tag:{host},{post.created_at:%Y-%m-%d}:post-{post.pk}"


def filed_under(relation: str, term: Tag | Category) -> Q:
    """Posts linked to ``term`` through ``relation``, for a feed's newest
    few: gathered or walked as the term's size suits (``posts.linked``)."""
    field = getattr(Post, relation).field
    links = field.remote_field.through.objects.filter(
        **{field.m2m_reverse_field_name(): term}
    )
    return linked_posts(links, field.m2m_field_name())


class PostFeed(KeepsEntries, KnownArguments, Feed):
    """The site's newest posts, as RSS 2.0.

    Other feeds of posts (per tag, per category, per work in the catalog)
    subclass it: ``get_object`` finds the subject from a ``slug`` URL
    argument, ``filter_posts`` narrows the live posts to it, ``url_name``
    names the feed's own URL, and ``title``/``description``/``link`` describe
    it. ``feed_type = ContentAtomFeed`` makes the Atom twin.
    """

    feed_type = ContentRssFeed
    url_name = "feeds:rss"

    # Posts chosen and loaded beforehand (``printing``), or None to query them.
    chosen: list[Post] | None = None

    def items(self, obj=None):
        if self.chosen is not None:
            return self.chosen
        return (
            self.newest(obj)
            .select_related("author")
            .prefetch_related("tags", "categories")[:FEED_SIZE]
        )

    def newest(self, obj=None):
        """This feed's live posts, newest first (``items`` takes the first few)."""
        return self.filter_posts(Post.objects.posts().listed(), obj).order_by(
            "-published_at", "-id"
        )

    def printing(self, posts: list[Post]) -> PostFeed:
        """This feed with its items chosen and loaded already (the static
        build reads every post once): a copy that lists ``posts``."""
        feed = copy.copy(self)
        feed.chosen = posts
        return feed

    def filter_posts(self, posts, obj):
        """Narrow the live posts to this feed's subject (all of them here)."""
        return posts

    def title(self, obj=None) -> str:
        return settings.SITE_NAME

    def description(self, obj=None) -> str:
        return _("The newest posts on %(site)s.") % {"site": settings.SITE_NAME}

    def subtitle(self, obj=None) -> str:
        return self.description(obj)

    def link(self, obj=None) -> str:
        return site_url(reverse("posts:home"))

    def feed_url(self, obj=None) -> str:
        kwargs = {"slug": obj.slug} if obj is not None else {}
        return site_url(reverse(self.url_name, kwargs=kwargs))

    def feed_guid(self, obj=None) -> str:
        return self.feed_url(obj)

    def item_title(self, item: Post) -> str:
        return item.title

    def item_link(self, item: Post) -> str:
        return site_url(item.get_absolute_url())

    def item_guid(self, item: Post) -> str:
        return post_guid(item)

    item_guid_is_permalink = False

    def item_description(self, item: Post) -> str:
        # Readers treat the description as HTML; the summary is plain text.
        return escape(item.summary)

    def item_author_name(self, item: Post) -> str:
        return item.author.public_name

    def item_author_link(self, item: Post) -> str:
        return site_url(
            reverse("posts:author", kwargs={"username": item.author.username})
        )

    def item_pubdate(self, item: Post):
        return item.published_at

    def item_updateddate(self, item: Post):
        return max(item.updated_at, item.published_at)

    def item_categories(self, item: Post) -> list[str]:
        return [tag.name for tag in item.tags.all()] + [
            category.name for category in item.categories.all()
        ]

    def item_extra_kwargs(self, item: Post) -> dict:
        # Never ``body_html``: it holds the spoilers.
        return {"content_html": absolutize(item.feed_html, self.item_link(item))}


class AtomPostFeed(PostFeed):
    feed_type = ContentAtomFeed
    url_name = "feeds:atom"


class TagFeed(PostFeed):
    url_name = "feeds:tag-rss"

    def get_object(self, request, slug: str) -> Tag:
        return get_object_or_404(Tag, slug=slug)

    def filter_posts(self, posts, obj: Tag):
        return posts.filter(filed_under("tags", obj))

    def title(self, obj: Tag) -> str:
        return f"{settings.SITE_NAME}: {obj.name}"

    def description(self, obj: Tag) -> str:
        return _("The newest posts tagged “%(name)s” on %(site)s.") % {
            "name": obj.name,
            "site": settings.SITE_NAME,
        }

    def link(self, obj: Tag) -> str:
        return site_url(obj.get_absolute_url())


class AtomTagFeed(TagFeed):
    feed_type = ContentAtomFeed
    url_name = "feeds:tag-atom"


class CategoryFeed(PostFeed):
    url_name = "feeds:category-rss"

    def get_object(self, request, slug: str) -> Category:
        return get_object_or_404(Category, slug=slug)

    def filter_posts(self, posts, obj: Category):
        return posts.filter(filed_under("categories", obj))

    def title(self, obj: Category) -> str:
        return f"{settings.SITE_NAME}: {obj.name}"

    def description(self, obj: Category) -> str:
        return _("The newest posts in “%(name)s” on %(site)s.") % {
            "name": obj.name,
            "site": settings.SITE_NAME,
        }

    def link(self, obj: Category) -> str:
        return site_url(obj.get_absolute_url())


class AtomCategoryFeed(CategoryFeed):
    feed_type = ContentAtomFeed
    url_name = "feeds:category-atom"
