"""RSS and Atom feeds of one series: its published parts, newest first.

Built on the site's post feeds (``afterword.feeds``), so parts carry the same
full content and absolute links; item titles follow the series' pattern.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from afterword.feeds.absolute import site_url
from afterword.feeds.feeds import ContentAtomFeed, PostFeed

from . import toc
from .models import Series


class SeriesFeed(PostFeed):
    url_name = "series:rss"

    def get_object(self, request, slug: str) -> Series:
        return get_object_or_404(Series, slug=slug)

    def items(self, obj: Series):
        # Feed objects are shared between requests: the displayed titles are
        # attached to the items, never stored on ``self``. Numbering comes
        # from the whole series, planned parts included.
        titles = {entry.post_id: entry.title for entry in toc.for_series(obj).entries}
        posts = list(super().items(obj))
        for post in posts:
            post.series_title = titles.get(post.pk, post.title)
        return posts

    def filter_posts(self, posts, obj: Series):
        return posts.filter(series_part__series=obj)

    def title(self, obj: Series) -> str:
        return f"{settings.SITE_NAME}: {obj.title}"

    def description(self, obj: Series) -> str:
        return _("New parts of the series “%(title)s” on %(site)s.") % {
            "title": obj.title,
            "site": settings.SITE_NAME,
        }

    def link(self, obj: Series) -> str:
        return site_url(obj.get_absolute_url())

    def item_title(self, item) -> str:
        return getattr(item, "series_title", item.title)


class SeriesAtomFeed(SeriesFeed):
    feed_type = ContentAtomFeed
    url_name = "series:atom"
