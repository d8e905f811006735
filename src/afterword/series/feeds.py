"""RSS and Atom feeds of one series: its published parts, newest first.

Built on the site's post feeds (``afterword.feeds``), so parts carry the same
full content and absolute links; item titles follow the series' pattern.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from afterword.feeds.absolute import site_url
from afterword.feeds.feeds import FEED_SIZE, ContentAtomFeed, PostFeed
from afterword.posts.models import Post

from . import toc
from .models import Series, SeriesPart


class SeriesFeed(PostFeed):
    url_name = "series:rss"

    def get_object(self, request, slug: str) -> Series:
        return get_object_or_404(Series, slug=slug)

    def items(self, obj: Series):
        # Feed objects are shared between requests: the displayed titles are
        # attached to the items, never stored on ``self``. Numbering comes
        # from the whole series, planned parts included.
        titles = {entry.post_id: entry.title for entry in toc.for_series(obj).entries}
        if self.chosen is not None:
            posts = list(self.chosen)
        else:
            # Loaded unordered and sorted here: asked for in date order,
            # SQLite walks every post's index entry to find these few.
            posts = sorted(
                Post.objects.filter(pk__in=self._newest_ids(obj))
                .select_related("author")
                .prefetch_related("tags", "categories")
                .order_by(),
                key=lambda post: (post.published_at, post.pk),
                reverse=True,
            )
        for post in posts:
            post.series_title = titles.get(post.pk, post.title)
        return posts

    def newest(self, obj: Series):
        return Post.objects.filter(pk__in=self._newest_ids(obj)).order_by(
            "-published_at", "-id"
        )

    def _newest_ids(self, obj: Series) -> list[int]:
        """The newest listed parts' posts, chosen among the series' own.

        A series has a few parts, so they are read by key and the newest
        picked here. Joined and sorted in SQL, SQLite walked every post in
        date order looking for them: 22 ms for a ten-part series on a
        100,000-post site, against 1 ms.
        """
        parts = SeriesPart.objects.filter(series=obj, post__isnull=False)
        dated = (
            Post.objects.posts()
            .listed()
            .filter(pk__in=list(parts.values_list("post_id", flat=True)))
            .order_by()
            .values_list("published_at", "pk")
        )
        return [pk for _, pk in sorted(dated, reverse=True)[:FEED_SIZE]]

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
