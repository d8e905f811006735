"""RSS and Atom feeds of recent comments, for the whole site and for one post.

A comment's spoilers do not go out in a feed: each becomes a notice linking
to the comment (``offsite.feed_html``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from afterword.feeds.attributes import KnownArguments
from afterword.feeds.feeds import WrittenAtOnce
from afterword.feeds.kept import EntriesWriter, KeepsEntries
from afterword.posts.models import Post, open_condition, through_relation

from . import offsite, threads
from .models import Comment

FEED_SIZE = 30


def visible_comments():
    """Approved comments on posts anyone may read (public and unlisted ones,
    ``open_condition``), newest first."""
    return (
        Comment.objects.approved()
        .filter(through_relation(open_condition(), "post"))
        .select_related("post")
        .order_by("-created_at", "-id")
    )


class CommentsRssWriter(EntriesWriter, WrittenAtOnce, Rss201rev2Feed):
    """RSS 2.0 whose entries may be kept (``feeds.kept``)."""


class CommentsAtomWriter(EntriesWriter, WrittenAtOnce, Atom1Feed):
    """Atom whose entries may be kept (``feeds.kept``)."""


class RecentCommentsRss(KeepsEntries, KnownArguments, Feed):
    feed_type = CommentsRssWriter
    description_template = None

    def title(self):
        return _("Comments on %(site)s") % {"site": settings.SITE_NAME}

    def link(self):
        return "/"

    def description(self):
        return _("The latest comments on %(site)s.") % {"site": settings.SITE_NAME}

    def items(self):
        return visible_comments()[:FEED_SIZE]

    def item_title(self, item: Comment) -> str:
        return _("%(name)s on “%(title)s”") % {
            "name": item.author_name,
            "title": item.post.title,
        }

    def item_description(self, item: Comment) -> str:
        return offsite.feed_html(item)

    def item_link(self, item: Comment) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Comment) -> str:
        return f"{settings.SITE_URL}/comments/{item.pk}"

    item_guid_is_permalink = False

    def item_author_name(self, item: Comment) -> str:
        return item.author_name

    def item_pubdate(self, item: Comment):
        return item.created_at

    def item_updateddate(self, item: Comment):
        return item.edited_at or item.created_at


class RecentCommentsAtom(RecentCommentsRss):
    feed_type = CommentsAtomWriter
    subtitle = RecentCommentsRss.description


class PostCommentsRss(RecentCommentsRss):
    def get_object(self, request, post_id: int):
        return get_object_or_404(Post.objects.open(), pk=post_id)

    def title(self, obj):
        return _("Comments on “%(title)s”") % {"title": obj.title}

    def link(self, obj):
        return obj.get_absolute_url()

    def description(self, obj):
        return _("Comments on “%(title)s” at %(site)s.") % {
            "title": obj.title,
            "site": settings.SITE_NAME,
        }

    def items(self, obj):
        prefetched = getattr(obj, threads.PREFETCHED, None)
        if prefetched is not None:
            # Loaded with the post (``threads.prefetch_approved``), oldest
            # first: the same comments as the query below, newest first.
            return prefetched[::-1][:FEED_SIZE]
        return visible_comments().filter(post=obj)[:FEED_SIZE]


class PostCommentsAtom(PostCommentsRss):
    feed_type = CommentsAtomWriter
    subtitle = PostCommentsRss.description
